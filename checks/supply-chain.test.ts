import { ruleTable } from "@/test/support/rule-table";
import { supplyChainCheck } from "./supply-chain";

const PKG = '{\n  "name": "x",\n  "dependencies": { "@modelcontextprotocol/sdk": "^1.20.0" }\n}';

ruleTable(supplyChainCheck, {
  valid: [
    {
      name: "Dependabot covering npm and GitHub Actions",
      files: {
        "package.json": PKG,
        ".github/dependabot.yml":
          'version: 2\nupdates:\n  - package-ecosystem: "npm"\n    directory: "/"\n    schedule: { interval: weekly }\n  - package-ecosystem: "github-actions"\n    directory: "/"\n',
      },
    },
    { name: "Renovate", files: { "package.json": PKG, "renovate.json": '{ "extends": ["config:recommended"] }' } },
    {
      name: "Renovate configured in package.json",
      files: { "package.json": '{ "name": "x", "renovate": { "extends": ["config:base"] } }' },
    },
    {
      name: "Dependabot with uv for a Python project",
      files: {
        "pyproject.toml": '[project]\ndependencies = ["mcp>=1.9"]\n',
        ".github/dependabot.yaml": "version: 2\nupdates:\n  - package-ecosystem: uv\n    directory: /\n",
      },
    },
    { name: "no manifests at all", files: { "README.md": "# notes" } },
  ],
  invalid: [
    {
      name: "a package.json and no update bot",
      files: { "package.json": PKG, "src/index.ts": "export {};" },
      expected: [{ ruleId: "supply/no-update-bot", path: "package.json", line: 1, severity: "moderate" }],
    },
    {
      name: "a Python project without an update bot (reported at the top-level manifest)",
      files: { "server/requirements.txt": "mcp>=1.9\nhttpx\n", "pyproject.toml": '[project]\nname = "x"\n' },
      expected: [{ ruleId: "supply/no-update-bot", path: "pyproject.toml" }],
    },
    {
      name: "Dependabot that only updates GitHub Actions",
      files: {
        "package.json": PKG,
        "requirements.txt": "fastmcp\n",
        ".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n",
      },
      expected: [
        { ruleId: "supply/update-bot-misses-ecosystem", path: ".github/dependabot.yml", severity: "low", message: "(npm)" },
        { ruleId: "supply/update-bot-misses-ecosystem", path: ".github/dependabot.yml", message: "(pip)" },
      ],
    },
  ],
});
