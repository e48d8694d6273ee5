// GitHub Actions workflows: least-privilege token permissions, no PR code checked out in pull_request_target,
// third-party actions pinned to a commit, no secrets echoed to the log.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type YAMLMap } from "yaml";
import { codeFinding, finish } from "./evidence";
import { defineRule } from "./rule";
import type { Check } from "./types";
import type { Finding } from "@/lib/core/types";

const ITEM = "operations.ci-hardening";
const MAX_WORKFLOW_BYTES = 512 * 1024;

export const rules = {
  writeAll: defineRule({
    id: "ci/write-all-permissions",
    severity: "high",
    title: "Workflow token has every write permission",
    rationale:
      "`permissions: write-all` lets every step (and every third-party action it runs) push code, publish releases and change settings with the workflow's token; one compromised dependency is enough.",
    remediation: "Set `permissions: contents: read` at the top and grant each job only the write scopes it needs (e.g. `packages: write`).",
    item: ITEM,
  }),
  missingPermissions: defineRule({
    id: "ci/missing-permissions",
    severity: "low",
    title: "Workflow doesn't set token permissions",
    rationale:
      "Without a `permissions` block the token gets the repository's default, which is read-write on many repositories and organizations.",
    remediation: "Add `permissions: contents: read` at the top of the workflow and widen it per job only where needed.",
    item: ITEM,
  }),
  prTargetCheckout: defineRule({
    id: "ci/pull-request-target-checkout",
    severity: "critical",
    title: "pull_request_target workflow checks out the pull request's code",
    rationale:
      "pull_request_target runs with the base repository's secrets and a write token. Checking out and running the PR's code there lets anyone who opens a pull request run their code with those secrets.",
    remediation:
      "Use `pull_request` for building and testing PR code; keep pull_request_target for labelling or commenting, without checking out or executing the PR head.",
    item: ITEM,
  }),
  unpinned: defineRule({
    id: "ci/unpinned-action",
    severity: "moderate",
    title: "Third-party action not pinned to a commit",
    rationale:
      "A tag or branch can be moved by the action's owner (or whoever compromises their account) to code that steals the workflow's secrets.",
    remediation:
      "Pin the action to a full 40-character commit SHA (`uses: owner/action@<sha> # v2.1.0`) and let Dependabot or Renovate propose updates.",
    item: ITEM,
  }),
  secretEchoed: defineRule({
    id: "ci/secret-echoed",
    severity: "moderate",
    title: "Secret printed in a workflow step",
    rationale:
      "Log masking only hides the exact secret string; printed, encoded or partial forms of it end up readable in logs that everyone with read access can see.",
    remediation:
      "Pass secrets through `env:` to the commands that need them and never echo them; write them to files or stdin only when a tool requires it.",
    item: ITEM,
  }),
  unparseable: defineRule({
    id: "ci/unparseable-workflow",
    severity: "low",
    title: "Workflow file could not be read",
    rationale: "A workflow that can't be parsed can't be checked for the problems above.",
    remediation: "Fix the YAML (GitHub refuses to run it too), then scan again.",
    item: ITEM,
  }),
};

const WORKFLOW_PATH = /(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/;
const FIRST_PARTY_OWNERS = new Set(["actions", "github"]);
const PR_HEAD_REF = /github\.event\.pull_request\.head|github\.head_ref|refs\/pull\/|github\.event\.workflow_run\.head/;

export const ciWorkflowsCheck: Check = {
  id: "ci-workflows",
  title: "CI workflows: permissions, pinned actions, pull_request_target, secrets",
  section: "operations",
  rules: Object.values(rules),
  async run({ snapshot }) {
    const findings: Finding[] = [];
    for (const path of snapshot.find((p) => WORKFLOW_PATH.test(p))) {
      const text = snapshot.text(path);
      if (text === null) continue;
      findings.push(...judgeWorkflow(path, text));
    }
    return finish(findings);
  },
};

export function judgeWorkflow(path: string, text: string): Finding[] {
  const unparseable = (why: string) => [
    codeFinding(rules.unparseable, { path, line: 1, text, message: `${path} could not be parsed: ${why}.`, evidence: why.slice(0, 160) }),
  ];
  if (text.length > MAX_WORKFLOW_BYTES) return unparseable(`larger than ${MAX_WORKFLOW_BYTES / 1024} KB`);
  const lineCounter = new LineCounter();
  let doc;
  // The node tree is read directly and never converted with toJS, so aliases are never expanded (no billion laughs).
  try {
    doc = parseDocument(text, { lineCounter, prettyErrors: false, strict: false, uniqueKeys: false });
  } catch (error) {
    return unparseable(error instanceof Error ? error.message.split("\n")[0]! : "parser error");
  }
  if (doc.errors.length > 0) return unparseable(doc.errors[0]!.message.split("\n")[0]!);
  const root = doc.contents;
  if (!isMap(root)) return [];

  const findings: Finding[] = [];
  const lineOf = (node: YamlNode | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : 1);
  const at = (node: YamlNode | null | undefined, message: string) => ({ path, line: lineOf(node), text, message });

  const triggers = triggerNames(root.get("on", true) as YamlNode | undefined);
  const topPermissions = root.get("permissions", true) as YamlNode | undefined;
  if (isScalar(topPermissions) && topPermissions.value === "write-all")
    findings.push(codeFinding(rules.writeAll, at(topPermissions, "The whole workflow runs with `permissions: write-all`.")));

  const jobs = root.get("jobs", true);
  const jobsWithoutPermissions: string[] = [];
  if (isMap(jobs)) {
    for (const pair of jobs.items) {
      const jobName = isScalar(pair.key) ? String(pair.key.value) : "?";
      const job = pair.value;
      if (!isMap(job)) continue;
      const permissions = job.get("permissions", true) as YamlNode | undefined;
      if (isScalar(permissions) && permissions.value === "write-all")
        findings.push(codeFinding(rules.writeAll, at(permissions, `Job \`${jobName}\` runs with \`permissions: write-all\`.`)));
      if (!permissions) jobsWithoutPermissions.push(jobName);

      const reusable = job.get("uses", true) as YamlNode | undefined;
      if (isScalar(reusable)) findings.push(...pinFindings(reusable, at));

      const steps = job.get("steps", true);
      if (!isSeq(steps)) continue;
      for (const step of steps.items) {
        if (!isMap(step)) continue;
        const uses = step.get("uses", true) as YamlNode | undefined;
        if (isScalar(uses)) {
          findings.push(...pinFindings(uses, at));
          const action = String(uses.value);
          if (action.startsWith("actions/checkout@") && (triggers.has("pull_request_target") || triggers.has("workflow_run"))) {
            const withBlock = step.get("with", true);
            const ref = isMap(withBlock) ? (withBlock as YAMLMap).get("ref") : undefined;
            if (typeof ref === "string" && PR_HEAD_REF.test(ref)) {
              findings.push(
                codeFinding(
                  rules.prTargetCheckout,
                  at(
                    uses,
                    `Job \`${jobName}\` checks out \`${ref}\` in a ${triggers.has("pull_request_target") ? "pull_request_target" : "workflow_run"} workflow.`,
                  ),
                ),
              );
            }
          }
        }
        const run = step.get("run", true) as YamlNode | undefined;
        if (isScalar(run) && typeof run.value === "string") findings.push(...echoedSecrets(path, text, run, lineCounter));
      }
    }
  }
  if (!topPermissions && jobsWithoutPermissions.length > 0) {
    findings.push(
      codeFinding(rules.missingPermissions, {
        ...at(
          jobs as YamlNode,
          `No top-level \`permissions\`, and ${jobsWithoutPermissions.length === 1 ? "job" : "jobs"} ${jobsWithoutPermissions.map((j) => `\`${j}\``).join(", ")} set none, so the repository's default token permissions apply.`,
        ),
        subject: "permissions",
      }),
    );
  }
  return findings;
}

function triggerNames(on: YamlNode | undefined): Set<string> {
  const names = new Set<string>();
  if (isScalar(on)) {
    names.add(String(on.value));
  } else if (isSeq(on)) {
    for (const item of on.items) if (isScalar(item)) names.add(String(item.value));
  } else if (isMap(on)) {
    for (const pair of on.items) if (isScalar(pair.key)) names.add(String(pair.key.value));
  }
  return names;
}

function pinFindings(
  uses: YamlNode,
  at: (node: YamlNode, message: string) => { path: string; line: number; text: string; message: string },
): Finding[] {
  if (!isScalar(uses)) return [];
  const value = String(uses.value).trim();
  if (value.startsWith("./") || value.startsWith("docker://")) return [];
  const atSign = value.lastIndexOf("@");
  const action = atSign === -1 ? value : value.slice(0, atSign);
  const ref = atSign === -1 ? "" : value.slice(atSign + 1);
  const owner = action.split("/")[0] ?? "";
  if (FIRST_PARTY_OWNERS.has(owner.toLowerCase())) return [];
  if (/^[0-9a-f]{40}$/i.test(ref)) return [];
  return [
    codeFinding(
      rules.unpinned,
      at(uses, ref ? `\`${action}\` is used at \`${ref}\`, a tag or branch that can move.` : `\`${action}\` is used without any version.`),
    ),
  ];
}

/** `echo ${{ secrets.X }}` / `printf` lines that print to the log (not redirected to a file or piped to a command). */
function echoedSecrets(path: string, text: string, run: YamlNode, lineCounter: LineCounter): Finding[] {
  const findings: Finding[] = [];
  if (!isScalar(run) || typeof run.value !== "string" || !run.value.includes("secrets.")) return findings;
  const start = run.range?.[0] ?? 0;
  const source = text.slice(start, run.range?.[1] ?? text.length);
  let searchFrom = 0;
  for (const line of run.value.split("\n")) {
    const trimmed = line.trim();
    if (!/^(?:echo|printf)\b/.test(trimmed) || !/\$\{\{\s*secrets\./.test(trimmed)) continue;
    if (/>|\|/.test(trimmed.replace(/\$\{\{[^}]{0,200}\}\}/g, ""))) continue;
    // The script line's place in the file: found in the scalar's source (block, plain or quoted), else the scalar's line.
    const at = source.indexOf(trimmed, searchFrom);
    if (at !== -1) searchFrom = at + trimmed.length;
    const lineNumber = lineCounter.linePos(start + (at === -1 ? 0 : at)).line;
    findings.push(codeFinding(rules.secretEchoed, { path, line: lineNumber, text, message: "A secret is printed to the workflow log." }));
  }
  return findings;
}
