// Advisories, wherever they come from (the npm bulk endpoint, GitHub's advisory database, an offline OSV folder),
// in one shape that lib/advisories/match.ts tests locked versions against.
import type { Severity } from "@/lib/core/types";
import type { Ecosystem } from "../parse/lockfiles/types";

export interface Advisory {
  /** GHSA id when known (the report's `advisory`); otherwise the source's own id. */
  id: string;
  source: string;
  ecosystem: Ecosystem;
  package: string;
  severity: Severity;
  title: string;
  url: string | null;
  /** npm: a semver range; pypi: PEP 440 specifiers joined with " || " between alternatives. */
  vulnerableRange: string;
  /** The first version that fixes it, when the source says. */
  firstPatched: string | null;
}

/** What a scan asks about: each package with the versions the lockfiles lock. */
export interface AdvisoryQuery {
  ecosystem: Ecosystem;
  name: string;
  versions: string[];
}

export interface AdvisorySourceStatus {
  name: string;
  status: "ok" | "unavailable";
  /** When the oldest answer used was fetched (cached answers keep their fetch time). */
  fetchedAt: string | null;
  error: string | null;
}

export interface AdvisoryLookup {
  advisories: Advisory[];
  source: AdvisorySourceStatus;
  /** HTTP requests actually sent (cache hits send none). */
  requests: number;
}

/** One way of fetching advisories. Throws AdvisorySourceError when it can't answer; callers fail closed. */
export interface AdvisorySource {
  readonly name: string;
  readonly ecosystems: ReadonlySet<Ecosystem>;
  fetch(queries: AdvisoryQuery[], signal: AbortSignal): Promise<{ advisories: Advisory[]; requests: number }>;
}

export class AdvisorySourceError extends Error {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(message);
    this.name = "AdvisorySourceError";
  }
}

/** The service checks use (through ctx.services.advisories). */
export interface AdvisoryService {
  lookup(queries: AdvisoryQuery[], signal: AbortSignal): Promise<AdvisoryLookup>;
}

const SEVERITIES: Record<string, Severity> = {
  critical: "critical",
  high: "high",
  moderate: "moderate",
  medium: "moderate",
  low: "low",
  info: "info",
  none: "info",
};

/** Sources name severities differently; anything unknown counts as moderate rather than vanishing. */
export function normalizeSeverity(value: unknown): Severity {
  return typeof value === "string" ? (SEVERITIES[value.toLowerCase()] ?? "moderate") : "moderate";
}

/** The GHSA id inside an advisory URL (https://github.com/advisories/GHSA-xxxx-xxxx-xxxx), if any. */
export function ghsaOf(text: string | null | undefined): string | null {
  const m = text ? /GHSA(?:-[23456789cfghjmpqrvwx]{4}){3}/i.exec(text) : null;
  return m ? m[0].replace(/^ghsa/i, "GHSA").replace(/-([a-z0-9]{4})/gi, (_, g: string) => `-${g.toLowerCase()}`) : null;
}
