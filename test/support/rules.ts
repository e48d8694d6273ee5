// RuleTester-style helpers: build a snapshot from a table of files and run one check on it.
import type { Check, Finding, ScanServices } from "@/checks/types";
import { Facts } from "@/lib/facts";
import { SnapshotBuilder, type Snapshot } from "@/lib/snapshot";

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
  const snapshot = snapshotOf(files);
  const outcome = await check.run({
    snapshot,
    facts: new Facts(snapshot),
    signal: new AbortController().signal,
    services,
    counters: { githubRequests: 0, registryRequests: 0 },
  });
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
