// Generates chatgpt-app-submission.v1.json from what the scan read: every tool with all three hints and one sentence
// for each, grounded in what its handler does ("deletes: calls DELETE {API}/notes/{id}"). A hint the code declares
// is kept as declared; one it doesn't declare is inferred from the handler and says so; one that can't be justified
// from the code says that too, and is listed for the team under `launch_review.needs_input`.
import type { Facts } from "../facts/container";
import type { Effect, ToolBehaviour } from "../facts/tool-behaviour";
import type { ToolDecl } from "../parse/tools/types";
import { HINTS, SUBMISSION_SCHEMA_URL, type Hint, type SubmissionFile, type SubmissionTestCase, type SubmissionTool } from "./format";

const WRITES: ReadonlySet<Effect["kind"]> = new Set(["http-write", "http-delete", "db-write", "db-delete", "file-write", "file-delete", "shell", "message"]);
const DELETES: ReadonlySet<Effect["kind"]> = new Set(["http-delete", "db-delete", "file-delete"]);

export function generateSubmission(facts: Facts): SubmissionFile {
  const needs: string[] = [];
  const tools: Record<string, SubmissionTool> = {};
  for (const [tool, behaviour] of facts.toolBehaviours) {
    if (tool.name.startsWith("{")) {
      needs.push(`a tool registered at ${tool.location.path}:${tool.location.line} has a name only known at run time`);
      continue;
    }
    const entry = toolEntry(tool, behaviour);
    tools[tool.name] = entry.tool;
    for (const h of entry.unjustified) needs.push(`tools.${tool.name}.annotations.${h}: confirm by hand`);
  }
  const names = Object.keys(tools).sort();
  const appInfo = appInfoOf(facts);
  for (const field of ["display_name", "subtitle", "description", "category"] as const)
    if (appInfo[field] === undefined) needs.push(`app_info.${field}`);
  needs.push("test_cases: replace each stub with a real prompt and the output you expect", "negative_test_cases: replace each stub");
  return {
    $schema: SUBMISSION_SCHEMA_URL,
    schema_version: 1,
    ...(Object.keys(appInfo).length > 0 ? { app_info: appInfo } : {}),
    tools: Object.fromEntries(names.map((n) => [n, tools[n]!])),
    test_cases: positiveStubs(names),
    negative_test_cases: negativeStubs(),
    launch_review: { generated_from: "Launch Review's static reading of the connector's code", needs_input: needs },
  };
}

interface Decision {
  value: boolean;
  why: string;
  justified: boolean;
}

function toolEntry(tool: ToolDecl, b: ToolBehaviour): { tool: SubmissionTool; unjustified: Hint[] } {
  const known = b.handler !== null;
  const writes = b.effects.filter((e) => WRITES.has(e.kind));
  const deletes = b.effects.filter((e) => DELETES.has(e.kind));
  const reads = b.effects.filter((e) => e.kind === "http-read");
  const inferred: Record<Hint, Decision> = {
    readOnlyHint: !known
      ? { value: false, why: "the handler could not be read, so it is assumed to write", justified: false }
      : writes.length > 0
        ? { value: false, why: `writes: ${list(writes)}`, justified: true }
        : { value: true, why: reads.length > 0 ? `reads only: ${list(reads)}, and writes nothing` : "reads only: the handler and the code it calls make no writes", justified: true },
    destructiveHint: !known
      ? { value: true, why: "the handler could not be read, so it is assumed to be able to delete", justified: false }
      : deletes.length > 0
        ? { value: true, why: `deletes: ${list(deletes)}`, justified: true }
        : { value: false, why: writes.length > 0 ? `changes data but deletes nothing (${list(writes)})` : "changes nothing, so nothing can be destroyed", justified: true },
    openWorldHint: !known
      ? { value: true, why: "the handler could not be read, so it is assumed to reach other systems", justified: false }
      : b.userChosenUrl
        ? { value: true, why: "reaches beyond the user's account: it requests a URL the model chooses", justified: true }
        : b.effects.some((e) => e.kind === "message")
          ? { value: true, why: `sends to other people or systems: ${list(b.effects.filter((e) => e.kind === "message"))}`, justified: true }
          : b.hosts.length > 0
            ? { value: false, why: `talks only to ${b.hosts.join(", ")}, the service the user linked`, justified: true }
            : reads.length + writes.length === 0
              ? { value: false, why: "makes no outbound requests", justified: true }
              : { value: false, why: `calls only its own service's API (${list([...reads, ...writes])})`, justified: true },
  };
  const annotations = {} as Record<Hint, boolean>;
  const sentences = {} as Record<Hint, string>;
  const unjustified: Hint[] = [];
  for (const h of HINTS) {
    const declared = tool.annotations?.[h];
    const d = inferred[h];
    if (typeof declared === "boolean") {
      annotations[h] = declared;
      sentences[h] = !d.justified
        ? `Declared ${h}: ${declared} in the code; the handler could not be read to confirm it.`
        : declared === d.value
          ? `${capitalize(d.why)}.`
          : `The code declares ${h}: ${declared}, but the handler ${d.why}: correct the annotation before submitting.`;
      if (!d.justified) unjustified.push(h);
    } else {
      annotations[h] = d.value;
      sentences[h] = d.justified ? `Not declared in the code; ${d.why}.` : `Not declared in the code and could not be inferred: ${d.why}.`;
      if (!d.justified) unjustified.push(h);
    }
  }
  return {
    tool: {
      annotations,
      justifications: { read_only_justification: sentences.readOnlyHint, destructive_justification: sentences.destructiveHint, open_world_justification: sentences.openWorldHint },
    },
    unjustified,
  };
}

function list(effects: readonly Effect[]): string {
  const shown = effects.slice(0, 2).map((e) => e.what);
  return `${shown.join("; ")}${effects.length > 2 ? ` and ${effects.length - 2} more` : ""}`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** What the code says about the app: the server's name, and the package's description. */
function appInfoOf(facts: Facts): NonNullable<SubmissionFile["app_info"]> {
  const out: NonNullable<SubmissionFile["app_info"]> = {};
  for (const call of facts.code.calls) {
    if (!/(?:^|\.)(?:McpServer|Server|FastMCP|MCPServer)$/.test(call.callee) || facts.code.file(call.path)?.role !== "server") continue;
    const first = call.args[0];
    const name = first?.kind === "string" ? first.value : first?.kind === "object" ? first.entries.find((e) => e.key === "name")?.value : undefined;
    const value = typeof name === "string" ? name : name?.kind === "string" ? name.value : null;
    if (value && value.trim()) {
      out.display_name = value.trim().slice(0, 100);
      break;
    }
  }
  const pkg = facts.snapshot.text("package.json");
  if (pkg) {
    try {
      const description = (JSON.parse(pkg) as { description?: unknown }).description;
      if (typeof description === "string" && description.trim()) out.description = description.trim().slice(0, 4000);
    } catch {
      // Not JSON: the dependency checks say so; here it only means no description.
    }
  }
  return out;
}

function positiveStubs(names: readonly string[]): SubmissionTestCase[] {
  if (names.length === 0) return [];
  return Array.from({ length: Math.max(5, Math.min(names.length, 10)) }, (_, i) => {
    const tool = names[i % names.length]!;
    return {
      description: `Stub: a request that should use ${tool}. Replace with a real scenario.`,
      user_prompt: `Stub: write what a user asks that should make ChatGPT call ${tool}.`,
      tools_triggered: tool,
      expected_output: `Stub: what ${tool} returns or does for that prompt.`,
    };
  });
}

function negativeStubs(): SubmissionTestCase[] {
  return ["an unrelated question", "a request for something the app doesn't do", "a request to act outside the user's account"].map((kind) => ({
    description: `Stub: ${kind}; ChatGPT should not call this app's tools.`,
    user_prompt: `Stub: write ${kind}.`,
    tools_triggered: null,
    expected_output: "Stub: ChatGPT answers without calling any of this app's tools.",
  }));
}
