// The repository's own chatgpt-app-submission.v1.json, checked one to one against the tools the scan read: tools
// missing on either side, hints that differ from the code's, hints the code contradicts (a read-only tool that
// writes), test cases naming tools that don't exist, and the published field rules (the subtitle's length, hints as
// booleans, a justification for each). Since 2026-05-18 missing or null hints are submission blockers.
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import type { Finding } from "@/lib/core/types";
import { pathRole } from "@/lib/engine/facts/roles";
import type { ToolBehaviour } from "@/lib/engine/facts/tool-behaviour";
import type { ToolDecl } from "@/lib/engine/parse/tools/types";
import { HINTS, SUBMISSION_FILE_NAMES, SUBMISSION_JSON_SCHEMA, type SubmissionFile } from "@/lib/engine/submission/format";
import { defineRule, report } from "./rule";
import type { Check } from "./types";

const ITEM = "prompt-injection.annotations";
const TAGS = { owasp: "MCP03:2025 Tool Poisoning", cwe: ["CWE-1059"] } as const;
const MAX_BYTES = 4 * 1024 * 1024;

export const rules = {
  invalid: defineRule({
    id: "submission/invalid",
    item: ITEM,
    severity: "moderate",
    title: "The submission file breaks the published rules",
    rationale: "The submission portal refuses a file that isn't valid JSON or breaks chatgpt-app-submission.v1.json's rules (hints as booleans, a justification for each, a subtitle of at most 30 characters, enough test cases).",
    remediation: "Fix the fields named in the message, or regenerate the file with `launch-review submission --out chatgpt-app-submission.v1.json` and fill in what it asks for.",
    tags: TAGS,
  }),
  missingTool: defineRule({
    id: "submission/tool-missing-from-file",
    item: ITEM,
    severity: "moderate",
    title: "A tool the server declares is missing from the submission file",
    rationale: "Reviewers compare the submission with the tools the server lists; a tool without hints and justifications in the file is a submission blocker.",
    remediation: "Add the tool with all three hints and a justification for each (the generated file has a starting point).",
    tags: TAGS,
  }),
  unknownTool: defineRule({
    id: "submission/tool-not-in-code",
    item: ITEM,
    severity: "moderate",
    title: "The submission file describes a tool the code doesn't declare",
    rationale: "A tool described for review but not served (renamed, removed, or never built) makes the review describe a different app than the one users get.",
    remediation: "Remove the entry, or fix its name to match the tool the server registers.",
    tags: TAGS,
  }),
  hintDiffers: defineRule({
    id: "submission/hint-differs",
    item: ITEM,
    severity: "moderate",
    title: "A hint in the submission file differs from the code's annotation",
    rationale: "The portal checks the file against the tools the server lists; a hint that says one thing in the file and another on the server is rejected, and one of the two is wrong.",
    remediation: "Make the file and the code's annotations agree, choosing the value the handler's behaviour supports.",
    tags: TAGS,
  }),
  hintContradicted: defineRule({
    id: "submission/hint-contradicted",
    item: ITEM,
    severity: "high",
    title: "The submission file calls a tool read-only or non-destructive, but its code writes or deletes",
    rationale: "readOnlyHint lets ChatGPT skip the confirmation prompt and a false destructiveHint drops the explicit approval step: telling reviewers a writing or deleting tool is safe removes the human check the guidance asks for on irreversible actions.",
    remediation: "Set readOnlyHint to false (and destructiveHint to true for tools that delete) in the file and in the code, with a justification that names what the tool changes.",
    tags: TAGS,
  }),
  unknownTestTool: defineRule({
    id: "submission/test-case-unknown-tool",
    item: ITEM,
    severity: "low",
    title: "A test case names a tool that doesn't exist",
    rationale: "Reviewers run the test cases; one that expects a tool the app doesn't have can only fail.",
    remediation: "Name the tools the app declares in `tools_triggered` (comma-separated), or update the test case.",
    tags: TAGS,
  }),
};

// Compiled on first use: compiling the schema costs ~50 ms, and most repositories have no submission file.
let compiled: ValidateFunction | null = null;
const submissionValidator = (): ValidateFunction => (compiled ??= new Ajv2020({ allErrors: true, strict: false }).compile(SUBMISSION_JSON_SCHEMA));

export const submissionFileCheck: Check = {
  id: "submission-file",
  title: "The ChatGPT app submission file agrees with the code",
  section: "prompt-injection",
  rules: Object.values(rules),
  run({ snapshot, facts }) {
    const findings: Finding[] = [];
    for (const path of snapshot.find((p) => SUBMISSION_FILE_NAMES.some((n) => p === n || p.endsWith(`/${n}`)))) {
      // A submission file in tests, fixtures, docs or examples is not the app's.
      if (pathRole(path)) continue;
      const file = snapshot.get(path)!;
      const text = file.size <= MAX_BYTES ? snapshot.text(path) : null;
      const at = (message: string, subject: string, evidence = subject) => ({ message, location: { path }, evidence: evidence.slice(0, 200), subject });
      let json: unknown;
      try {
        json = text === null ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      if (json === undefined) {
        findings.push(report(rules.invalid, at(`${path} is not a JSON file of at most 4 MB.`, "json")));
        continue;
      }
      const validate = submissionValidator();
      if (!validate(json)) {
        const problems = (validate.errors ?? []).slice(0, 8).map((e) => `${e.instancePath || "(root)"} ${e.message ?? ""}`.trim());
        findings.push(report(rules.invalid, at(`${path} breaks the submission rules: ${problems.join("; ")}.`, "schema", problems.join("; "))));
      }
      findings.push(...compare(json as Partial<SubmissionFile>, facts.tools.tools, facts.toolBehaviours, at));
    }
    return { status: "ok", findings };
  },
};

type At = (message: string, subject: string, evidence?: string) => { message: string; location: { path: string }; evidence: string; subject: string };

function compare(file: Partial<SubmissionFile>, tools: readonly ToolDecl[], behaviours: ReadonlyMap<ToolDecl, ToolBehaviour>, at: At): Finding[] {
  const findings: Finding[] = [];
  const inFile = file.tools && typeof file.tools === "object" ? file.tools : {};
  const declared = new Map(tools.filter((t) => !t.name.startsWith("{")).map((t) => [t.name, t]));
  for (const [name, tool] of declared) if (!Object.hasOwn(inFile, name)) findings.push(report(rules.missingTool, at(`"${name}" (${tool.location.path}:${tool.location.line}) is not in the submission file.`, `missing:${name}`, name)));
  for (const [name, entry] of Object.entries(inFile)) {
    const tool = declared.get(name);
    if (!tool) {
      findings.push(report(rules.unknownTool, at(`The submission file describes "${name}", which the code doesn't declare.`, `unknown:${name}`, name)));
      continue;
    }
    const hints = (entry as { annotations?: Record<string, unknown> }).annotations ?? {};
    for (const h of HINTS) {
      const code = tool.annotations?.[h];
      if (typeof code === "boolean" && typeof hints[h] === "boolean" && hints[h] !== code)
        findings.push(report(rules.hintDiffers, at(`"${name}": the file says ${h}: ${String(hints[h])}, the code ${code}.`, `differs:${name}:${h}`, `${name} ${h}`)));
    }
    const b = behaviours.get(tool);
    if (!b || b.handler === null) continue;
    const writes = b.effects.find((e) => !["http-read", "confirm"].includes(e.kind));
    const deletes = b.effects.find((e) => e.kind.endsWith("delete"));
    if (hints.readOnlyHint === true && writes)
      findings.push(report(rules.hintContradicted, at(`"${name}" is read-only in the file, but its code writes: ${writes.what} (${writes.path}:${writes.line}).`, `ro:${name}`, `${name}: ${writes.what}`)));
    else if (hints.destructiveHint === false && deletes)
      findings.push(report(rules.hintContradicted, at(`"${name}" is not destructive in the file, but its code deletes: ${deletes.what} (${deletes.path}:${deletes.line}).`, `destructive:${name}`, `${name}: ${deletes.what}`)));
  }
  const cases = Array.isArray(file.test_cases) ? file.test_cases : [];
  for (const [i, tc] of cases.entries()) {
    const names = typeof tc?.tools_triggered === "string" ? tc.tools_triggered.split(",").map((s) => s.trim()).filter(Boolean) : [];
    for (const n of names) if (!declared.has(n)) findings.push(report(rules.unknownTestTool, at(`test_cases[${i}] expects "${n}", which the code doesn't declare.`, `test:${i}:${n}`, n)));
  }
  return findings;
}
