// launch-review.yml: what a connector team declares in its repository. Paths to skip (documentation dumps,
// examples) with a reason, packages to add to the watch list, and ignores (a rule id or a fingerprint, an optional
// path glob, a reason, an expiry date). The file is untrusted input like the rest of the repository: it is bounded,
// validated, and when it is wrong it is reported and ignored whole, never half-applied.
import picomatch from "picomatch";
import { parse } from "yaml";
import { z } from "zod";
import type { Snapshot } from "../snapshot";

export const CONFIG_NAMES = ["launch-review.yml", "launch-review.yaml", ".launch-review.yml", ".launch-review.yaml"] as const;
const MAX_BYTES = 64 * 1024;

const Glob = z.string().min(1).max(300);
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date like 2027-03-31");

const IgnoreEntry = z
  .object({
    rule: z.string().min(3).max(120).optional(),
    fingerprint: z.string().regex(/^[0-9a-f]{32}$/, "a 32-character fingerprint from a report").optional(),
    path: Glob.optional(),
    reason: z.string().trim().min(3, "give a reason").max(500),
    expires: IsoDate,
  })
  .strict()
  .refine((e) => e.rule !== undefined || e.fingerprint !== undefined, { message: "name a rule or a fingerprint" });

export const RepoConfigSchema = z
  .object({
    version: z.literal(1).default(1),
    skip: z.array(z.object({ path: Glob, reason: z.string().trim().min(3, "give a reason").max(300) }).strict()).max(200).default([]),
    watch: z.array(z.string().min(1).max(220)).max(100).default([]),
    ignore: z.array(IgnoreEntry).max(500).default([]),
  })
  .strict();

export type RepoConfig = z.infer<typeof RepoConfigSchema>;
export type IgnoreRule = RepoConfig["ignore"][number];

export type RepoConfigResult =
  | { status: "absent" }
  | { status: "ok"; path: string; config: RepoConfig }
  | { status: "invalid"; path: string; error: string };

/** Reads the repository's config file at the scan's root, if there is one. */
export function readRepoConfig(snapshot: Snapshot): RepoConfigResult {
  const found = CONFIG_NAMES.find((n) => snapshot.get(n));
  if (!found) return { status: "absent" };
  const file = snapshot.get(found)!;
  if (file.size > MAX_BYTES) return { status: "invalid", path: found, error: `larger than ${MAX_BYTES / 1024} KB` };
  const text = snapshot.text(found);
  if (text === null) return { status: "invalid", path: found, error: "not a text file" };
  let raw: unknown;
  try {
    raw = parse(text, { maxAliasCount: 10, prettyErrors: true }) ?? {};
  } catch (error) {
    return { status: "invalid", path: found, error: `not valid YAML: ${(error as Error).message.split("\n")[0]!.slice(0, 200)}` };
  }
  const parsed = RepoConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`);
    return { status: "invalid", path: found, error: issues.join("; ") };
  }
  return { status: "ok", path: found, config: parsed.data };
}

/** Whether a repository path falls under one of the skip globs, and which. */
export function skipMatcher(config: RepoConfig): (p: string) => { glob: string; reason: string } | null {
  const matchers = config.skip.map((s) => ({ ...s, test: picomatch(s.path, { dot: true }) }));
  return (p) => {
    const hit = matchers.find((m) => m.test(p) || p.startsWith(`${m.path.replace(/\/+$/, "")}/`));
    return hit ? { glob: hit.path, reason: hit.reason } : null;
  };
}

/** The ignores still in force on `today` (YYYY-MM-DD) and those that expired. */
export function splitIgnores(config: RepoConfig, today: string): { active: IgnoreRule[]; expired: IgnoreRule[] } {
  return {
    active: config.ignore.filter((i) => i.expires >= today),
    expired: config.ignore.filter((i) => i.expires < today),
  };
}

/** Whether an ignore covers a finding: the rule (or fingerprint) matches, and the path glob if one is given. */
export function ignoreMatches(ignore: IgnoreRule, finding: { ruleId: string; fingerprint: string; location?: { path: string } }): boolean {
  if (ignore.fingerprint && ignore.fingerprint !== finding.fingerprint) return false;
  if (ignore.rule && ignore.rule !== finding.ruleId) return false;
  if (ignore.path) {
    if (!finding.location?.path) return false;
    if (!picomatch(ignore.path, { dot: true })(finding.location.path)) return false;
  }
  return true;
}
