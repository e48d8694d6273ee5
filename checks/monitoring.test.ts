import { describe, expect, it } from "vitest";
import { ruleTable } from "@/test/support/rule-table";
import { contextOf } from "@/test/support/rules";
import { monitoringCheck } from "./monitoring";

ruleTable(monitoringCheck, {
  valid: [
    {
      name: "Sentry in package.json",
      files: { "package.json": '{ "dependencies": { "@sentry/node": "^8.0.0" } }', "src/index.ts": "export {};" },
    },
    {
      name: "OpenTelemetry in pyproject",
      files: { "pyproject.toml": '[project]\ndependencies = [\n  "opentelemetry-sdk>=1.25",\n]\n', "server.py": "x = 1" },
    },
    {
      name: "sentry_sdk.init in code with an unlisted dependency",
      files: { "server.py": "import sentry_sdk\nsentry_sdk.init(dsn=DSN)\n" },
    },
    { name: "Prometheus alert rules", files: { "deploy/alerts.yml": "groups: []", "src/index.ts": "export {};" } },
    { name: "no code at all", files: { "README.md": "docs only" } },
    {
      name: "a monitoring client imported in code (JS and Python), not listed in a manifest",
      files: { "src/index.ts": 'import * as Sentry from "@sentry/node";\nexport {};', "worker.py": "from opentelemetry import trace\n" },
    },
  ],
  invalid: [
    {
      name: "a connector with no monitoring",
      files: { "package.json": '{ "dependencies": { "express": "^4" } }', "src/index.ts": "export {};" },
      expected: [{ ruleId: "monitoring/none-found", path: "package.json", line: 1, severity: "low" }],
    },
    {
      name: "a Python connector with only logging",
      files: { "server.py": "import logging\nlogging.basicConfig()\n" },
      expected: [{ ruleId: "monitoring/none-found", path: "server.py" }],
    },
  ],
});

describe("monitoring when the code can't be read", () => {
  it("says unavailable instead of reporting no monitoring", async () => {
    const garbage = "function ( { [ ".repeat(200) + "\n" + ") } ] =>".repeat(200);
    const outcome = await monitoringCheck.run(
      await contextOf({ "package.json": '{ "dependencies": { "express": "^4" } }', "src/index.ts": garbage }),
    );
    expect(outcome.status).toBe("unavailable");
    expect(outcome.error).toMatch(/could not be read/);
  });

  it("is satisfied by monitoring found in the manifest even then", async () => {
    const outcome = await monitoringCheck.run(
      await contextOf({ "package.json": '{ "dependencies": { "@sentry/node": "^8" } }', "src/index.ts": "function ( { [" }),
    );
    expect(outcome).toEqual({ status: "ok", findings: [] });
  });
});
