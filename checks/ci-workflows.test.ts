import { describe, expect, it } from "vitest";
import { ruleTable, timed } from "@/test/support/rule-table";
import { ciWorkflowsCheck } from "./ci-workflows";

const SHA = "8e5e7e5ab8b370d6c329ec480221332ada57f0ab";

ruleTable(ciWorkflowsCheck, {
  valid: [
    {
      name: "a hardened CI workflow",
      files: {
        ".github/workflows/ci.yml":
          "name: ci\non: [push, pull_request]\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n" +
          `      - uses: actions/checkout@v4\n      - uses: pnpm/action-setup@${SHA} # v4.1.0\n      - run: npm ci && npm test\n` +
          '      - run: echo "${{ secrets.NPM_TOKEN }}" | npm login --stdin\n      - run: echo "TOKEN=${{ secrets.X }}" >> "$GITHUB_ENV"\n      - uses: ./.github/actions/local\n',
      },
    },
    {
      name: "pull_request_target that only labels, and job-level permissions everywhere",
      files: {
        ".github/workflows/label.yml":
          "on:\n  pull_request_target:\n    types: [opened]\njobs:\n  label:\n    permissions:\n      pull-requests: write\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/labeler@v5\n      - uses: actions/checkout@v4\n",
      },
    },
    {
      name: "YAML that isn't a workflow location",
      files: { "config/workflows/x.yml": "permissions: write-all\n", "docs/ci.yml": "on: pull_request_target" },
    },
  ],
  invalid: [
    {
      name: "the demo's deploy workflow",
      files: {
        ".github/workflows/deploy.yml":
          "name: deploy\non:\n  pull_request_target:\n  push:\n    branches: [main]\npermissions: write-all\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n" +
          "      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n" +
          "      - uses: acme-tools/deploy-action@v2\n        with:\n          token: ${{ secrets.DEPLOY_TOKEN }}\n" +
          '      - run: echo "deploying with ${{ secrets.DEPLOY_TOKEN }}"\n',
      },
      expected: [
        { ruleId: "ci/write-all-permissions", line: 6, severity: "high" },
        { ruleId: "ci/pull-request-target-checkout", line: 11, severity: "critical" },
        { ruleId: "ci/unpinned-action", line: 14, severity: "moderate" },
        { ruleId: "ci/secret-echoed", line: 17, severity: "moderate" },
      ],
    },
    {
      name: "missing permissions, a job with write-all, a reusable workflow at a tag, and a multi-line script",
      files: {
        ".github/workflows/release.yaml":
          "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/login-action@master\n      - run: |\n          npm ci\n          printf '%s' ${{ secrets.API_KEY }}\n      - run: 'echo \"${{ secrets.B }}\"'\n" +
          "  publish:\n    permissions: write-all\n    uses: acme/shared/.github/workflows/publish.yml@v1\n",
      },
      expected: [
        { ruleId: "ci/missing-permissions", line: 3, severity: "low" },
        { ruleId: "ci/unpinned-action", line: 6 },
        { ruleId: "ci/secret-echoed", line: 9 },
        { ruleId: "ci/secret-echoed", line: 10 },
        { ruleId: "ci/write-all-permissions", line: 12 },
        { ruleId: "ci/unpinned-action", line: 13 },
      ],
    },
    {
      name: "a workflow_run workflow checking out the triggering head",
      files: {
        ".github/workflows/wr.yml":
          "on:\n  workflow_run:\n    workflows: [ci]\npermissions:\n  contents: read\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.workflow_run.head_sha }}\n",
      },
      expected: [{ ruleId: "ci/pull-request-target-checkout", line: 10 }],
    },
    {
      name: "broken YAML",
      files: { ".github/workflows/bad.yml": "on: [push\njobs:\n  - : :\n" },
      expected: [{ ruleId: "ci/unparseable-workflow", line: 1, severity: "low" }],
    },
  ],
});

describe("ci-workflows on hostile input", () => {
  it("bounds alias expansion (billion laughs) and oversized files", async () => {
    const laughs =
      'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\njobs: *e\n';
    const { findings, ms } = await timed(ciWorkflowsCheck, {
      ".github/workflows/laughs.yml": laughs,
      ".github/workflows/huge.yml": "# x\n".repeat(200_000),
      ".github/workflows/long.yml": `on: push\njobs:\n  a:\n    steps:\n      - run: echo ${"${{ secrets.A }}".repeat(20_000)} >\n`,
    });
    expect(ms).toBeLessThan(5000);
    expect(findings.map((f) => f.ruleId)).toContain("ci/unparseable-workflow");
  });
});
