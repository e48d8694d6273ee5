// The generated chatgpt-app-submission.v1.json: valid against the published rules, every tool with all three hints
// and a justification grounded in what its handler does, app info where the code says it, stubs naming real tools,
// and what the code can't say listed for the team.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { runScan } from "@/lib/engine/scan";
import { SUBMISSION_JSON_SCHEMA, type SubmissionFile } from "@/lib/engine/submission/format";
import { runCli } from "./support/cli";

const validate = new Ajv2020({ allErrors: true, strict: false }).compile(SUBMISSION_JSON_SCHEMA);

describe("the generated submission file", () => {
  it("for the demo connector: valid, every tool complete, hints grounded in the handlers", async () => {
    const report = await runScan({ kind: "local", path: path.resolve("examples/demo-connector") });
    const file = report.submission as SubmissionFile;
    expect(validate(file), JSON.stringify(validate.errors)).toBe(true);
    expect(Object.keys(file.tools).sort()).toEqual(report.tools.map((t) => t.name).sort());
    for (const [name, tool] of Object.entries(file.tools)) {
      for (const hint of ["readOnlyHint", "destructiveHint", "openWorldHint"] as const) expect(typeof tool.annotations[hint], `${name} ${hint}`).toBe("boolean");
      for (const j of Object.values(tool.justifications)) expect(j.length, name).toBeGreaterThan(10);
    }
    // What the handlers do, in the justifications.
    expect(file.tools.delete_note!.justifications.destructive_justification).toMatch(/deletes: DELETE \{NOTES_API\}\/notes\/\{id\}/);
    expect(file.tools.share_note!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    expect(file.tools.import_from_url!.justifications.open_world_justification).toMatch(/a URL the model chooses/);
    // The code declares delete_note read-only; the file keeps the declared value and says it is wrong.
    expect(file.tools.delete_note!.annotations.readOnlyHint).toBe(true);
    expect(file.tools.delete_note!.justifications.read_only_justification).toMatch(/correct the annotation before submitting/);
    expect(file.app_info).toMatchObject({ display_name: "acme-notes" });
    expect(file.launch_review!.needs_input).toEqual(expect.arrayContaining(["app_info.subtitle", "app_info.category"]));
    for (const tc of file.test_cases) expect(Object.keys(file.tools)).toContain(tc.tools_triggered);
  });

  it("launch-review submission --out writes the file and lists what to fill in", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lr-submission-"));
    const out = path.join(dir, "chatgpt-app-submission.v1.json");
    const run = await runCli(["submission", path.resolve("examples/demo-connector"), "--out", out], {}, { cwd: dir });
    expect(run.code).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(["chatgpt-app-submission.v1.json"]);
    expect(validate(JSON.parse(fs.readFileSync(out, "utf8")))).toBe(true);
    expect(run.stderr).toContain("4 tools with hints and justifications written to");
    expect(run.stderr).toContain("to fill in: app_info.subtitle");
  }, 60_000);
});
