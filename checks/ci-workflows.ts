// GitHub Actions workflows: least-privilege token permissions, no PR code checked out in pull_request_target,
// third-party actions pinned to a commit, no secrets echoed to the log.
import type { WorkflowFact, YamlText } from "@/lib/engine/facts/workflows";
import { codeFinding, finish } from "./evidence";
import { defineRule } from "./rule";
import type { Check } from "./types";
import type { Finding } from "@/lib/core/types";

const ITEM = "operations.ci-hardening";
const SUPPLY_CHAIN = "MCP04:2025 Software Supply Chain Attacks & Dependency Tampering";

export const rules = {
  writeAll: defineRule({
    id: "ci/write-all-permissions",
    severity: "high",
    title: "Workflow token has every write permission",
    rationale:
      "`permissions: write-all` lets every step (and every third-party action it runs) push code, publish releases and change settings with the workflow's token; one compromised dependency is enough.",
    remediation: "Set `permissions: contents: read` at the top and grant each job only the write scopes it needs (e.g. `packages: write`).",
    item: ITEM,
    tags: { owasp: SUPPLY_CHAIN, cwe: ["CWE-250"] },
  }),
  missingPermissions: defineRule({
    id: "ci/missing-permissions",
    severity: "low",
    title: "Workflow doesn't set token permissions",
    rationale:
      "Without a `permissions` block the token gets the repository's default, which is read-write on many repositories and organizations.",
    remediation: "Add `permissions: contents: read` at the top of the workflow and widen it per job only where needed.",
    item: ITEM,
    tags: { owasp: SUPPLY_CHAIN, cwe: ["CWE-276"] },
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
    tags: { owasp: SUPPLY_CHAIN, cwe: ["CWE-829"] },
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
    tags: { owasp: SUPPLY_CHAIN, cwe: ["CWE-829", "CWE-494"] },
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
    tags: { owasp: "MCP01:2025 Token Mismanagement & Secret Exposure", cwe: ["CWE-532"] },
  }),
  unparseable: defineRule({
    id: "ci/unparseable-workflow",
    severity: "low",
    title: "Workflow file could not be read",
    rationale: "A workflow that can't be parsed can't be checked for the problems above.",
    remediation: "Fix the YAML (GitHub refuses to run it too), then scan again.",
    item: ITEM,
    tags: { owasp: SUPPLY_CHAIN },
  }),
};

const FIRST_PARTY_OWNERS = new Set(["actions", "github"]);
const PR_HEAD_REF = /github\.event\.pull_request\.head|github\.head_ref|refs\/pull\/|github\.event\.workflow_run\.head/;
/** Triggers that run with the base repository's secrets while a pull request's code is at hand. */
const PRIVILEGED_PR_TRIGGERS = ["pull_request_target", "workflow_run"];

export const ciWorkflowsCheck: Check = {
  id: "ci-workflows",
  title: "CI workflows: permissions, pinned actions, pull_request_target, secrets",
  section: "operations",
  rules: Object.values(rules),
  run({ facts, snapshot }) {
    const findings: Finding[] = [];
    for (const workflow of facts.workflows) findings.push(...judgeWorkflow(workflow, snapshot.text(workflow.path) ?? ""));
    return finish(findings);
  },
};

export function judgeWorkflow(workflow: WorkflowFact, text: string): Finding[] {
  const { path } = workflow;
  const at = (line: number, message: string) => ({ path, line, text, message });
  if (workflow.problem !== null) {
    return [
      codeFinding(rules.unparseable, {
        ...at(1, `${path} could not be parsed: ${workflow.problem}.`),
        evidence: workflow.problem.slice(0, 160),
      }),
    ];
  }
  const findings: Finding[] = [];
  const privilegedTrigger = PRIVILEGED_PR_TRIGGERS.find((t) => workflow.triggers.includes(t));
  if (workflow.permissions?.scalar === "write-all")
    findings.push(codeFinding(rules.writeAll, at(workflow.permissions.line, "The whole workflow runs with `permissions: write-all`.")));

  const jobsWithoutPermissions: string[] = [];
  for (const job of workflow.jobs) {
    if (job.permissions?.scalar === "write-all")
      findings.push(codeFinding(rules.writeAll, at(job.permissions.line, `Job \`${job.name}\` runs with \`permissions: write-all\`.`)));
    if (!job.permissions) jobsWithoutPermissions.push(job.name);
    if (job.uses) findings.push(...pinFindings(job.uses, at));
    for (const step of job.steps) {
      if (step.uses) {
        findings.push(...pinFindings(step.uses, at));
        const ref = step.with.ref;
        if (privilegedTrigger && step.uses.value.startsWith("actions/checkout@") && ref !== undefined && PR_HEAD_REF.test(ref)) {
          findings.push(
            codeFinding(
              rules.prTargetCheckout,
              at(step.uses.line, `Job \`${job.name}\` checks out \`${ref}\` in a ${privilegedTrigger} workflow.`),
            ),
          );
        }
      }
      if (step.run?.value.includes("secrets.")) {
        for (const line of step.run.lines) {
          if (echoesSecret(line.text))
            findings.push(codeFinding(rules.secretEchoed, at(line.line, "A secret is printed to the workflow log.")));
        }
      }
    }
  }
  if (!workflow.permissions && jobsWithoutPermissions.length > 0) {
    findings.push(
      codeFinding(rules.missingPermissions, {
        ...at(
          workflow.jobsLine,
          `No top-level \`permissions\`, and ${jobsWithoutPermissions.length === 1 ? "job" : "jobs"} ${jobsWithoutPermissions.map((j) => `\`${j}\``).join(", ")} set none, so the repository's default token permissions apply.`,
        ),
        subject: "permissions",
      }),
    );
  }
  return findings;
}

function pinFindings(
  uses: YamlText,
  at: (line: number, message: string) => { path: string; line: number; text: string; message: string },
): Finding[] {
  const value = uses.value.trim();
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
      at(
        uses.line,
        ref ? `\`${action}\` is used at \`${ref}\`, a tag or branch that can move.` : `\`${action}\` is used without any version.`,
      ),
    ),
  ];
}

/** `echo ${{ secrets.X }}` / `printf` lines that print to the log (not redirected to a file or piped to a command). */
function echoesSecret(line: string): boolean {
  if (!/^(?:echo|printf)\b/.test(line) || !/\$\{\{\s*secrets\./.test(line)) return false;
  return !/>|\|/.test(line.replace(/\$\{\{[^}]{0,200}\}\}/g, ""));
}
