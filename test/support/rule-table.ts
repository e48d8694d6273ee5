// ESLint RuleTester-style tables for code checks: `valid` snippets must stay silent, `invalid` ones must produce
// exactly the listed findings (in file/line order).
import { describe, expect, it } from "vitest";
import type { Check, ScanServices } from "@/checks/types";
import type { Finding } from "@/lib/core/types";
import { runCheckOn } from "./rules";

export interface ValidCase {
  name: string;
  files: Record<string, string | Uint8Array>;
}

export interface ExpectedFinding {
  ruleId: string;
  path?: string;
  line?: number;
  severity?: Finding["severity"];
  /** A substring the message must contain. */
  message?: string;
}

export interface InvalidCase extends ValidCase {
  expected: ExpectedFinding[];
}

function shape(f: Finding, e: ExpectedFinding | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ruleId: f.ruleId };
  if (!e || e.path !== undefined) out.path = f.location?.path;
  if (!e || e.line !== undefined) out.line = f.location?.line;
  if (!e || e.severity !== undefined) out.severity = f.severity;
  if (e?.message !== undefined) out.message = f.message.includes(e.message) ? e.message : f.message;
  return out;
}

export function ruleTable(check: Check, table: { valid: ValidCase[]; invalid: InvalidCase[] }, services: ScanServices = {}): void {
  describe(`${check.id}: valid`, () => {
    for (const c of table.valid) {
      it(`stays silent: ${c.name}`, async () => {
        const findings = await runCheckOn(check, c.files, services);
        expect(findings.map((f) => shape(f, undefined))).toEqual([]);
      });
    }
  });
  describe(`${check.id}: invalid`, () => {
    for (const c of table.invalid) {
      it(`reports: ${c.name}`, async () => {
        const findings = await runCheckOn(check, c.files, services);
        const actual = findings.map((f, i) => shape(f, c.expected[i]));
        const expected = c.expected.map((e) => {
          const out: Record<string, unknown> = { ruleId: e.ruleId };
          if (e.path !== undefined) out.path = e.path;
          if (e.line !== undefined) out.line = e.line;
          if (e.severity !== undefined) out.severity = e.severity;
          if (e.message !== undefined) out.message = e.message;
          return out;
        });
        expect(actual).toEqual(expected);
        for (const f of findings) {
          expect(f.evidence, `${f.ruleId} has evidence`).toBeTruthy();
          expect(f.evidence!.length).toBeLessThanOrEqual(400);
        }
      });
    }
  });
}

/** Whether a check stays fast on a hostile input: returns its findings and the time it took. */
export async function timed(check: Check, files: Record<string, string | Uint8Array>): Promise<{ findings: Finding[]; ms: number }> {
  const started = performance.now();
  const findings = await runCheckOn(check, files);
  return { findings, ms: performance.now() - started };
}
