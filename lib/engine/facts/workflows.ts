// CI and dependency-update configuration, read once per scan: GitHub Actions workflows (triggers, token permissions,
// jobs, the actions their steps use and the scripts they run) and Dependabot / Renovate configurations. Checks judge
// these facts and never see the YAML parser.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type YAMLMap } from "yaml";
import type { Manifest } from "../parse/manifests";
import type { Snapshot } from "../snapshot";

const WORKFLOW_PATH = /(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/;
const DEPENDABOT_PATH = /(?:^|\/)\.github\/dependabot\.ya?ml$/;
const RENOVATE_PATH = /(?:^|\/)(?:\.github\/|\.gitlab\/)?(?:renovate\.json5?|\.renovaterc(?:\.json5?)?)$/;
const MAX_WORKFLOW_BYTES = 512 * 1024;
const MAX_DEPENDABOT_BYTES = 256 * 1024;
/** Script lines not found verbatim in the file (folded or escaped scalars) before the rest take the scalar's line. */
const MAX_SCRIPT_MISSES = 16;

/** A scalar as text, with its 1-based line. */
export interface YamlText {
  value: string;
  line: number;
}

/** `permissions:` as written: `scalar` is `write-all`, `read-all`… (null for a block of scopes or an empty value). */
export interface PermissionsFact {
  line: number;
  scalar: string | null;
}

export interface ScriptLine {
  /** Trimmed. */
  text: string;
  line: number;
}

export interface WorkflowStep {
  uses: YamlText | null;
  /** `with:` inputs whose values are strings. */
  with: Record<string, string>;
  /** A `run:` script: its lines, each with its line in the file. */
  run: { value: string; line: number; lines: ScriptLine[] } | null;
}

export interface WorkflowJob {
  name: string;
  permissions: PermissionsFact | null;
  /** A reusable workflow the job calls (`uses:` on the job). */
  uses: YamlText | null;
  steps: WorkflowStep[];
}

export interface WorkflowFact {
  path: string;
  /** Why the file could not be read (too large, YAML errors); null when it was. */
  problem: string | null;
  /** Event names under `on:`. */
  triggers: string[];
  permissions: PermissionsFact | null;
  /** The jobs that are mappings, in order. */
  jobs: WorkflowJob[];
  /** Line of the `jobs:` mapping. */
  jobsLine: number;
}

/** Every GitHub Actions workflow file of the snapshot. */
export function findWorkflows(snapshot: Snapshot): WorkflowFact[] {
  const out: WorkflowFact[] = [];
  for (const p of snapshot.find((x) => WORKFLOW_PATH.test(x))) {
    const text = snapshot.text(p);
    if (text !== null) out.push(readWorkflow(p, text));
  }
  return out;
}

export function readWorkflow(path: string, text: string): WorkflowFact {
  const fact: WorkflowFact = { path, problem: null, triggers: [], permissions: null, jobs: [], jobsLine: 1 };
  if (text.length > MAX_WORKFLOW_BYTES) return { ...fact, problem: `larger than ${MAX_WORKFLOW_BYTES / 1024} KB` };
  const lineCounter = new LineCounter();
  let doc;
  // The node tree is read directly and never converted with toJS, so aliases are never expanded (no billion laughs).
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, strict: false, uniqueKeys: false });
  } catch (error) {
    return { ...fact, problem: error instanceof Error ? error.message.split("\n")[0]! : "parser error" };
  }
  if (doc.errors.length > 0) return { ...fact, problem: doc.errors[0]!.message.split("\n")[0]! };
  const root = doc.contents;
  if (!isMap(root)) return fact;

  const lineOf = (node: YamlNode | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : 1);
  const textOf = (node: unknown): YamlText | null => (isScalar(node) ? { value: String(node.value), line: lineOf(node) } : null);
  const permissionsOf = (node: unknown): PermissionsFact | null => {
    if (node === undefined || node === null) return null;
    const scalar = isScalar(node) && node.value !== null ? String(node.value) : null;
    return { line: lineOf(node as YamlNode), scalar };
  };

  fact.triggers = triggerNames(root.get("on", true) as YamlNode | undefined);
  fact.permissions = permissionsOf(root.get("permissions", true));
  const jobs = root.get("jobs", true);
  if (!isMap(jobs)) return fact;
  fact.jobsLine = lineOf(jobs);
  for (const pair of jobs.items) {
    const job = pair.value;
    if (!isMap(job)) continue;
    const steps: WorkflowStep[] = [];
    const stepNodes = job.get("steps", true);
    if (isSeq(stepNodes)) {
      for (const step of stepNodes.items) {
        if (!isMap(step)) continue;
        const run = step.get("run", true) as YamlNode | undefined;
        steps.push({
          uses: textOf(step.get("uses", true)),
          with: stringInputs(step.get("with", true)),
          run:
            isScalar(run) && typeof run.value === "string"
              ? { value: run.value, line: lineOf(run), lines: scriptLines(text, run, lineCounter) }
              : null,
        });
      }
    }
    fact.jobs.push({
      name: isScalar(pair.key) ? String(pair.key.value) : "?",
      permissions: permissionsOf(job.get("permissions", true)),
      uses: textOf(job.get("uses", true)),
      steps,
    });
  }
  return fact;
}

function triggerNames(on: YamlNode | undefined): string[] {
  const names = new Set<string>();
  if (isScalar(on)) {
    names.add(String(on.value));
  } else if (isSeq(on)) {
    for (const item of on.items) if (isScalar(item)) names.add(String(item.value));
  } else if (isMap(on)) {
    for (const pair of on.items) if (isScalar(pair.key)) names.add(String(pair.key.value));
  }
  return [...names];
}

function stringInputs(node: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isMap(node)) return out;
  for (const pair of (node as YAMLMap).items) {
    if (!isScalar(pair.key) || !isScalar(pair.value) || typeof pair.value.value !== "string") continue;
    const key = String(pair.key.value);
    // The first of duplicate keys wins, as YAMLMap.get reads it.
    if (!(key in out)) out[key] = pair.value.value;
  }
  return out;
}

/** Each line of a run script with its place in the file: found in the scalar's source (block, plain or quoted), else the scalar's line. */
function scriptLines(text: string, run: YamlNode, lineCounter: LineCounter): ScriptLine[] {
  if (!isScalar(run) || typeof run.value !== "string") return [];
  const start = run.range?.[0] ?? 0;
  const source = text.slice(start, run.range?.[1] ?? text.length);
  const out: ScriptLine[] = [];
  let searchFrom = 0;
  let misses = 0;
  for (const line of run.value.split("\n")) {
    const trimmed = line.trim();
    const at = misses < MAX_SCRIPT_MISSES ? source.indexOf(trimmed, searchFrom) : -1;
    if (at === -1) misses++;
    else searchFrom = at + trimmed.length;
    out.push({ text: trimmed, line: lineCounter.linePos(start + (at === -1 ? 0 : at)).line });
  }
  return out;
}

// ---- dependency update bots ----

export interface UpdateBotsFact {
  /** The first Dependabot configuration, with the `package-ecosystem` values it lists (null when it can't be read). */
  dependabot: { path: string; ecosystems: string[] | null } | null;
  /** Where Renovate is configured: its configuration files, or package.json files with a "renovate" key. */
  renovate: string[];
}

export function findUpdateBots(snapshot: Snapshot, manifests: readonly Manifest[]): UpdateBotsFact {
  const dependabotPath = snapshot.find((p) => DEPENDABOT_PATH.test(p))[0];
  const renovate = [
    ...snapshot.find((p) => RENOVATE_PATH.test(p)),
    ...manifests.filter((m) => m.json && "renovate" in m.json).map((m) => m.path),
  ];
  return {
    dependabot:
      dependabotPath === undefined ? null : { path: dependabotPath, ecosystems: dependabotEcosystems(snapshot.text(dependabotPath) ?? "") },
    renovate,
  };
}

/** The `package-ecosystem` values of a dependabot.yml (lower-case), or null when it can't be read. */
function dependabotEcosystems(text: string): string[] | null {
  if (text.length > MAX_DEPENDABOT_BYTES) return null;
  try {
    const doc = parseDocument(text, { strict: false, prettyErrors: false, uniqueKeys: false });
    if (doc.errors.length > 0 || !isMap(doc.contents)) return null;
    const updates = doc.contents.get("updates", true);
    const out = new Set<string>();
    if (isSeq(updates)) {
      for (const u of updates.items) {
        const e = isMap(u) ? u.get("package-ecosystem", true) : undefined;
        if (isScalar(e)) out.add(String(e.value).toLowerCase());
      }
    }
    return [...out];
  } catch {
    return null;
  }
}
