// Offline advisories in the OSV format (https://ossf.github.io/osv-schema/): a folder of JSON files for the CLI, or
// records imported into the app, for air-gapped reviews.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Ecosystem } from "../parse/lockfiles/types";
import { ghsaOf, normalizeSeverity, AdvisorySourceError, type Advisory, type AdvisoryQuery, type AdvisorySource } from "./types";

const Event = z.object({
  introduced: z.string().max(100).optional(),
  fixed: z.string().max(100).optional(),
  last_affected: z.string().max(100).optional(),
});

export const OsvRecord = z.object({
  id: z.string().min(1).max(100),
  summary: z.string().max(4000).optional(),
  aliases: z.array(z.string().max(100)).max(100).optional(),
  database_specific: z
    .object({ severity: z.string().max(40).optional() })
    .passthrough()
    .optional(),
  references: z
    .array(z.object({ url: z.string().max(2048) }).passthrough())
    .max(200)
    .optional(),
  affected: z
    .array(
      z.object({
        package: z.object({ ecosystem: z.string().max(40), name: z.string().max(214) }),
        ranges: z
          .array(z.object({ type: z.string().max(20), events: z.array(Event).max(200) }))
          .max(50)
          .optional(),
        versions: z.array(z.string().max(100)).max(5000).optional(),
      }),
    )
    .max(500),
});
export type OsvRecord = z.infer<typeof OsvRecord>;

const ECOSYSTEMS: Record<string, Ecosystem> = { npm: "npm", pypi: "pypi" };

/** OSV range events as one range string in our convention (see Advisory.vulnerableRange). */
export function osvRange(ecosystem: Ecosystem, ranges: OsvRecord["affected"][number]["ranges"], versions: string[] = []): string {
  const parts: string[] = [];
  for (const range of ranges ?? []) {
    if (range.type === "GIT") continue;
    let lower: string | null = null;
    for (const e of range.events) {
      if (e.introduced !== undefined) lower = e.introduced === "0" ? "" : e.introduced;
      const upper = e.fixed !== undefined ? ["<", e.fixed] : e.last_affected !== undefined ? ["<=", e.last_affected] : null;
      if (upper && lower !== null) {
        parts.push(
          ecosystem === "npm"
            ? `${lower ? `>=${lower} ` : ""}${upper[0]}${upper[1]}`
            : `${lower ? `>=${lower}, ` : ""}${upper[0]}${upper[1]}`,
        );
        lower = null;
      }
    }
    // Introduced and never fixed: every version from there on.
    if (lower !== null) parts.push(ecosystem === "npm" ? (lower ? `>=${lower}` : "*") : lower ? `>=${lower}` : ">=0");
  }
  for (const v of versions) parts.push(ecosystem === "npm" ? v : `==${v}`);
  return parts.join(" || ");
}

function fixedIn(ranges: OsvRecord["affected"][number]["ranges"]): string | null {
  for (const r of ranges ?? []) for (const e of r.events) if (e.fixed) return e.fixed;
  return null;
}

export function advisoriesFromOsv(records: readonly OsvRecord[], source = "offline"): Advisory[] {
  const out: Advisory[] = [];
  for (const r of records) {
    const id = (r.id.startsWith("GHSA-") ? r.id : r.aliases?.find((a) => a.startsWith("GHSA-"))) ?? r.id;
    for (const a of r.affected) {
      const ecosystem = ECOSYSTEMS[a.package.ecosystem.toLowerCase()];
      if (!ecosystem) continue;
      const vulnerableRange = osvRange(ecosystem, a.ranges, a.versions);
      if (!vulnerableRange) continue;
      out.push({
        id: ghsaOf(id) ?? id,
        source,
        ecosystem,
        package: ecosystem === "pypi" ? a.package.name.toLowerCase().replace(/[-_.]+/g, "-") : a.package.name,
        severity: normalizeSeverity(r.database_specific?.severity),
        title: r.summary ?? r.id,
        url: r.references?.[0]?.url ?? null,
        vulnerableRange,
        firstPatched: fixedIn(a.ranges),
      });
    }
  }
  return out;
}

export const OSV_LIMITS = { maxFiles: 100_000, maxFileBytes: 1024 * 1024 } as const;

/** Reads every *.json under `dir` (bounded); a file that isn't a valid OSV record is skipped and counted. */
export function loadOsvFolder(dir: string): { records: OsvRecord[]; skipped: number } {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new AdvisorySourceError("offline", `No folder of OSV advisories at ${dir}.`);
  const records: OsvRecord[] = [];
  let skipped = 0;
  let files = 0;
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (entry.isFile() && entry.name.endsWith(".json")) {
        if (++files > OSV_LIMITS.maxFiles) throw new AdvisorySourceError("offline", `More than ${OSV_LIMITS.maxFiles} files in ${dir}.`);
        if (fs.statSync(full).size > OSV_LIMITS.maxFileBytes) {
          skipped += 1;
          continue;
        }
        try {
          records.push(...parseOsvDocument(JSON.parse(fs.readFileSync(full, "utf8"))));
        } catch {
          skipped += 1;
        }
      }
    }
  }
  return { records, skipped };
}

/** One OSV record, or an array of them (what an import accepts). Throws on anything else. */
export function parseOsvDocument(doc: unknown): OsvRecord[] {
  return z.union([OsvRecord.transform((r) => [r]), z.array(OsvRecord).max(10_000)]).parse(doc);
}

export class OfflineOsvSource implements AdvisorySource {
  readonly ecosystems = new Set<Ecosystem>(["npm", "pypi"]);
  readonly #advisories: Advisory[];

  constructor(
    records: readonly OsvRecord[],
    readonly name = "offline",
  ) {
    this.#advisories = advisoriesFromOsv(records, name);
  }

  async fetch(queries: AdvisoryQuery[]): Promise<{ advisories: Advisory[]; requests: number }> {
    const wanted = new Set(queries.map((q) => `${q.ecosystem}:${q.name}`));
    return { advisories: this.#advisories.filter((a) => wanted.has(`${a.ecosystem}:${a.package}`)), requests: 0 };
  }
}
