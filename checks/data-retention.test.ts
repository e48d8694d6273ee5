import { ruleTable } from "@/test/support/rule-table";
import { dataRetentionCheck } from "./data-retention";

const STORE = '{ "dependencies": { "pg": "^8.11.0" } }';

ruleTable(dataRetentionCheck, {
  valid: [
    { name: "a PRIVACY.md", files: { "PRIVACY.md": "# Privacy\nWe keep notes for 30 days.", "src/index.ts": "export {};" } },
    {
      name: "a README linking the privacy policy",
      files: { "README.md": "See our [privacy policy](https://acme.example/privacy).", "package.json": "{}" },
    },
    {
      name: "a database with an account deletion endpoint, and a retention section in the docs",
      files: {
        "package.json": STORE,
        "docs/data.md": "## Data retention\nSessions are deleted after 7 days.",
        "src/routes.ts": 'app.delete("/users/:id", requireAdmin, deleteUser);',
      },
    },
    {
      name: "a Python store with a delete_user_data tool",
      files: {
        "requirements.txt": "sqlalchemy\n",
        "README.md": "Retention period: 30 days.",
        "server.py": "@mcp.tool()\ndef delete_user_data(user_id: str):\n    ...\n",
      },
    },
  ],
  invalid: [
    {
      name: "no policy anywhere (reported at the README)",
      files: { "README.md": "# Acme notes\nA notes connector.", "src/index.ts": "export {};" },
      expected: [{ ruleId: "retention/no-policy", path: "README.md", line: 1, severity: "low" }],
    },
    {
      name: "documentation that says there is no policy",
      files: {
        "README.md": "| Data handling | no retention policy; logs bodies |\nThis demo ships without a privacy policy.",
        "src/index.ts": "export {};",
      },
      expected: [{ ruleId: "retention/no-policy", path: "README.md" }],
    },
    {
      name: "a database, no deletion path, no policy",
      files: { "package.json": STORE, "src/db.ts": "await pool.query('INSERT INTO notes VALUES ($1)', [n]);" },
      expected: [
        { ruleId: "retention/no-policy", path: "package.json", severity: "low" },
        { ruleId: "retention/no-deletion-path", path: "package.json", severity: "info", message: "pg" },
      ],
    },
  ],
});
