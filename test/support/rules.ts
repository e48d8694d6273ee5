// RuleTester-style helpers: build a snapshot from a table of files and run one check on it.
import type { Check, CheckContext, ScanServices } from "@/checks/types";
import type { Finding } from "@/lib/core/types";
import { auditDependencies } from "@/lib/engine/advisories/scan-audit";
import { prepareRepoConfig } from "@/lib/engine/config/apply";
import { Facts } from "@/lib/engine/facts/container";
import { SnapshotBuilder, type Snapshot } from "@/lib/engine/snapshot";

export function snapshotOf(files: Record<string, string | Uint8Array>, commit: string | null = null): Snapshot {
  const b = new SnapshotBuilder();
  for (const [p, content] of Object.entries(files)) b.add(p, typeof content === "string" ? new TextEncoder().encode(content) : content);
  return b.build(commit);
}

export async function runCheckOn(
  check: Check,
  files: Record<string, string | Uint8Array>,
  services: ScanServices = {},
): Promise<Finding[]> {
  const outcome = await check.run(await contextOf(files, services));
  if (outcome.status !== "ok") throw new Error(`check ${check.id} was unavailable: ${outcome.error}`);
  return outcome.findings;
}

/** A deterministic, high-entropy string: test secrets are made, not committed, so no scanner mistakes them for real ones. */
export function fakeSecret(length: number, seed = 1, alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"): string {
  let x = seed * 2654435761;
  let out = "";
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += alphabet[x % alphabet.length];
  }
  return out;
}

/** A TS server file whose body starts on line 3: `server.registerTool(...)` calls written in the test. */
export function tsServer(body: string): Record<string, string> {
  return { "src/server.ts": `import { z } from "zod";\nexport function register(server: any) {\n${body}\n}\n` };
}

/** One registerTool call on line 3 with the given config object text and handler. */
export function tsTool(name: string, config: string, handler = "async () => ({ content: [] })"): Record<string, string> {
  return tsServer(`server.registerTool(${JSON.stringify(name)}, ${config}, ${handler});`);
}

export interface RuleCase {
  name: string;
  files: Record<string, string | Uint8Array>;
  services?: ScanServices;
}

export interface InvalidRuleCase extends RuleCase {
  expected: Array<{ ruleId: string; line?: number; severity?: string; path?: string }>;
}

/** Runs a rule table: `valid` cases must stay silent, `invalid` ones must give exactly the expected findings. */
export function ruleTable(
  check: Check,
  tables: { valid: RuleCase[]; invalid: InvalidRuleCase[] },
  it: (name: string, fn: () => Promise<void>) => void,
  expect: (v: unknown) => { toEqual(x: unknown): void },
): void {
  for (const c of tables.valid) {
    it(`stays silent: ${c.name}`, async () => {
      const findings = await runCheckOn(check, c.files, c.services);
      expect(findings.map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
    });
  }
  for (const c of tables.invalid) {
    it(`reports: ${c.name}`, async () => {
      const findings = await runCheckOn(check, c.files, c.services);
      const actual = findings.map((f) => ({
        ruleId: f.ruleId,
        ...(c.expected.some((e) => e.line !== undefined) ? { line: f.location?.line } : {}),
        ...(c.expected.some((e) => e.severity !== undefined) ? { severity: f.severity } : {}),
        ...(c.expected.some((e) => e.path !== undefined) ? { path: f.location?.path } : {}),
      }));
      const wanted = c.expected.map((e) => ({
        ruleId: e.ruleId,
        ...(c.expected.some((x) => x.line !== undefined) ? { line: e.line } : {}),
        ...(c.expected.some((x) => x.severity !== undefined) ? { severity: e.severity } : {}),
        ...(c.expected.some((x) => x.path !== undefined) ? { path: e.path } : {}),
      }));
      const sort = (xs: Array<Record<string, unknown>>) => [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      expect(sort(actual)).toEqual(sort(wanted));
    });
  }
}

/** A check context over a snapshot, as a scan makes it: facts prepared, the dependency audit run with `services`. */
export async function checkContext(snapshot: Snapshot, services: ScanServices = {}, facts = new Facts(snapshot)): Promise<CheckContext> {
  const signal = new AbortController().signal;
  const { snapshot: scanned, repoConfig } = prepareRepoConfig(snapshot, new Date().toISOString().slice(0, 10));
  if (scanned !== snapshot) facts = new Facts(scanned);
  await facts.prepare();
  const audit = await auditDependencies(facts, services.dependencies, signal);
  return { snapshot: scanned, facts, audit, repoConfig, signal, services };
}

/** A check context over a table of files, for tests that look at the whole outcome. */
export function contextOf(files: Record<string, string | Uint8Array>, services: ScanServices = {}): Promise<CheckContext> {
  return checkContext(snapshotOf(files), services);
}
