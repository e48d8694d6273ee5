import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { SUBMISSION_JSON_SCHEMA, SUBMISSION_SCHEMA_URL } from "@/lib/engine/submission/format";
import { ruleTable, tsServer, type InvalidRuleCase, type RuleCase } from "@/test/support/rules";
import { submissionFileCheck } from "./submission-file";

const server = tsServer(
  [
    'server.registerTool("list_notes", { description: "Lists notes.", annotations: { readOnlyHint: true, destructiveHint: false, openWorldHint: false } },',
    '  async () => { await fetch("https://api.notes.example/notes"); return { content: [] }; });',
    'server.registerTool("delete_note", { description: "Deletes a note. Do not use to archive.", annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false } },',
    '  async ({ id }: { id: string }) => { await fetch(`https://api.notes.example/notes/${id}`, { method: "DELETE" }); return { content: [] }; });',
  ].join("\n"),
);

const hints = (readOnlyHint: boolean, destructiveHint: boolean, openWorldHint = false) => ({ readOnlyHint, destructiveHint, openWorldHint });
const why = { read_only_justification: "Reason.", destructive_justification: "Reason.", open_world_justification: "Reason." };
const stub = (tool: string | null) => ({ description: "d", user_prompt: "p", tools_triggered: tool, expected_output: "o" });

function file(overrides: Record<string, unknown> = {}, tools?: Record<string, unknown>): string {
  return JSON.stringify({
    $schema: SUBMISSION_SCHEMA_URL,
    schema_version: 1,
    app_info: { display_name: "Notes", subtitle: "Your notes in ChatGPT", description: "Notes.", category: "PRODUCTIVITY" },
    tools: tools ?? { list_notes: { annotations: hints(true, false), justifications: why }, delete_note: { annotations: hints(false, true), justifications: why } },
    test_cases: ["list_notes", "delete_note", "list_notes", "delete_note", "list_notes"].map(stub),
    negative_test_cases: [stub(null), stub(null), stub(null)],
    ...overrides,
  });
}

const valid: RuleCase[] = [
  { name: "no submission file at all", files: server },
  { name: "a file that matches the code", files: { ...server, "chatgpt-app-submission.v1.json": file() } },
  { name: "a submission file in a test fixture folder is not the app's", files: { ...server, "test/fixtures/chatgpt-app-submission.v1.json": file({}, {}) } },
];

const invalid: InvalidRuleCase[] = [
  {
    // One finding: the file can't be compared with anything.
    name: "not JSON",
    files: { ...server, "chatgpt-app-submission.v1.json": "{ tools:" },
    expected: [{ ruleId: "submission/invalid" }],
  },
  {
    name: "a subtitle over 30 characters and a hint that is null",
    files: {
      ...server,
      "chatgpt-app-submission.v1.json": file(
        { app_info: { display_name: "Notes", subtitle: "A subtitle that is far too long for the form", description: "d", category: "PRODUCTIVITY" } },
        { list_notes: { annotations: { ...hints(true, false), openWorldHint: null }, justifications: why }, delete_note: { annotations: hints(false, true), justifications: why } },
      ),
    },
    expected: [{ ruleId: "submission/invalid" }],
  },
  {
    name: "tools missing on either side, and a test case naming a tool that doesn't exist",
    files: {
      ...server,
      "chatgpt-app-submission.v1.json": file({ test_cases: ["list_notes", "archive_note", "list_notes", "list_notes", "list_notes"].map(stub) }, {
        list_notes: { annotations: hints(true, false), justifications: why },
        archive_note: { annotations: hints(false, false), justifications: why },
      }),
    },
    expected: [{ ruleId: "submission/tool-missing-from-file" }, { ruleId: "submission/tool-not-in-code" }, { ruleId: "submission/test-case-unknown-tool" }],
  },
  {
    name: "a hint that differs from the code, and hints the code contradicts",
    files: {
      ...server,
      "chatgpt-app-submission.v1.json": file({}, {
        list_notes: { annotations: hints(true, false, true), justifications: why },
        delete_note: { annotations: hints(true, false), justifications: why },
      }),
    },
    expected: [
      { ruleId: "submission/hint-differs", severity: "moderate" },
      { ruleId: "submission/hint-differs", severity: "moderate" },
      { ruleId: "submission/hint-differs", severity: "moderate" },
      { ruleId: "submission/hint-contradicted", severity: "high" },
    ],
  },
];

describe("submission-file", () => {
  ruleTable(submissionFileCheck, { valid, invalid }, it, expect);

  it("is checked by a schema that rejects what the portal rejects", () => {
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(SUBMISSION_JSON_SCHEMA);
    expect(validate(JSON.parse(file()))).toBe(true);
    expect(validate({ ...JSON.parse(file()), negative_test_cases: [stub(null)] })).toBe(false);
    expect(validate({ ...JSON.parse(file()), $schema: "https://example.com/other.json" })).toBe(false);
  });
});
