// The rules for waivers a repository proposes in launch-review.yml: where they show up (the items their findings
// belong to), and when a reviewer may accept one (the rules of any waiver, plus: the ignore covers the whole item).
import { describe, expect, it } from "vitest";
import type { Capability } from "@/lib/auth/permissions";
import type { ReportRepoConfig, ScanReport } from "@/lib/core/report";
import type { Finding } from "@/lib/core/types";
import { resolveIgnores } from "@/lib/engine/config/apply";
import { CHECKLIST_V1 } from "@/lib/engine/checklist/template";
import { carryOver, type ReviewItemState } from "@/lib/review/model";
import { acceptProblem, assertCanAcceptProposal, proposalDecision, proposedWaivers, waivedAsProposed, waiverExpiry } from "@/lib/review/proposals";
import { finding, reportWith } from "../support/reports";

const NOW = new Date("2026-11-28T12:00:00Z");
const def = (id: string) => CHECKLIST_V1.items.find((i) => i.id === id)!;
const reviewer = { can: (c: Capability) => ["connector.read", "review.decide", "review.sign-off"].includes(c) };
const lead = { can: () => true };
const maintainer = { can: (c: Capability) => c !== "review.decide" && c !== "review.waive-blocking" && c !== "review.sign-off" };

type Ignore = { rule?: string; fingerprint?: string; path?: string; reason: string; expires: string; state?: "active" | "expired" };

/** A scan report whose launch-review.yml declares these ignores, matched to the findings the way a scan matches them. */
function scanWith(findings: Finding[], ignores: Ignore[], applied = false): ScanReport {
  const report = reportWith({ findings });
  const config: ReportRepoConfig = {
    path: "launch-review.yml",
    status: "ok",
    error: null,
    skipped: 0,
    watch: [],
    ignores: ignores.map((i) => ({ rule: i.rule ?? null, fingerprint: i.fingerprint ?? null, path: i.path ?? null, reason: i.reason, expires: i.expires, state: i.state ?? "active", findings: [] })),
    applied: false,
  };
  const resolved = resolveIgnores(config, report.findings, applied);
  return { ...report, findings: resolved.findings, repoConfig: resolved.repoConfig };
}

const itemsOf = (report: ScanReport): ReviewItemState[] => carryOver(CHECKLIST_V1, report, null, NOW);
const itemOf = (items: ReviewItemState[], id: string) => items.find((i) => i.itemId === id)!;

const timeout = (fp: string, path = "src/api.ts") => ({ ...finding("network.timeouts-retries", "moderate", fp, path), ruleId: "timeouts/no-timeout" });
const tls = (fp: string) => ({ ...finding("network.outbound-tls", "high", fp, "src/dev/proxy.ts"), ruleId: "tls/reject-unauthorized" });
const REASON = "The notes API sits behind our gateway, which enforces a 10 s timeout.";

describe("proposed waivers", () => {
  it("puts the active ignores on the items their findings belong to, with what they cover", () => {
    const report = scanWith([timeout("t1"), timeout("t2", "src/other.ts"), tls("s1")], [
      { rule: "timeouts/no-timeout", reason: REASON, expires: "2027-03-31" },
      { rule: "tls/reject-unauthorized", path: "src/dev/**", reason: "Local proxy in development only, never deployed.", expires: "2027-01-31" },
      { rule: "secrets/env-file", reason: "Nothing matches this one at all.", expires: "2027-01-31" },
      { rule: "timeouts/no-timeout", reason: "An old ignore that ran out.", expires: "2026-01-01", state: "expired" },
    ]);
    const proposals = proposedWaivers(report, itemsOf(report));
    expect(proposals.map((p) => [p.itemId, p.ignores.map((i) => i.rule), p.covers.sort(), p.uncovered])).toEqual([
      ["network.outbound-tls", ["tls/reject-unauthorized"], ["s1"], []],
      ["network.timeouts-retries", ["timeouts/no-timeout"], ["t1", "t2"], []],
    ]);
    expect(proposals[1]).toMatchObject({ source: "launch-review.yml", reason: REASON, expires: "2027-03-31" });
    // The same declaration and item make the same proposal in a later scan; another reason makes a new one.
    const again = proposedWaivers(report, itemsOf(report));
    expect(again[1]!.key).toBe(proposals[1]!.key);
    const reworded = scanWith([timeout("t1")], [{ rule: "timeouts/no-timeout", reason: `${REASON} Checked again.`, expires: "2027-03-31" }]);
    expect(proposedWaivers(reworded, itemsOf(reworded))[0]!.key).not.toBe(proposals[1]!.key);
  });

  it("takes the ignores covering one item together: every reason, and the earliest expiry", () => {
    const retry = { ...finding("network.timeouts-retries", "low", "r1", "src/api.ts"), ruleId: "timeouts/no-retry" };
    const report = scanWith([timeout("t1"), retry], [
      { rule: "timeouts/no-timeout", reason: REASON, expires: "2027-03-31" },
      { rule: "timeouts/no-retry", reason: "The gateway retries idempotent calls twice.", expires: "2027-02-28" },
    ]);
    const items = itemsOf(report);
    const [proposal] = proposedWaivers(report, items);
    expect(proposal).toMatchObject({ itemId: "network.timeouts-retries", covers: ["t1", "r1"], uncovered: [], expires: "2027-02-28" });
    expect(proposal!.reason).toBe(`timeouts/no-timeout: ${REASON} · timeouts/no-retry: The gateway retries idempotent calls twice.`);
    expect(() => assertCanAcceptProposal(proposal!, itemOf(items, "network.timeouts-retries"), def("network.timeouts-retries"), reviewer, NOW)).not.toThrow();
  });

  it("proposes nothing when the ignores were applied (a CLI report), or the file is absent or invalid", () => {
    const findings = [timeout("t1")];
    const ignore = [{ rule: "timeouts/no-timeout", reason: REASON, expires: "2027-03-31" }];
    expect(proposedWaivers(scanWith(findings, ignore, true), itemsOf(scanWith(findings, ignore)))).toEqual([]);
    const invalid = { ...scanWith(findings, ignore), repoConfig: { ...scanWith(findings, ignore).repoConfig!, status: "invalid" as const } };
    expect(proposedWaivers(invalid, itemsOf(invalid))).toEqual([]);
    expect(proposedWaivers(reportWith({ findings }), itemsOf(reportWith({ findings })))).toEqual([]);
  });

  it("is accepted as a waiver with the declared reason, running to the end of the declared day", () => {
    const report = scanWith([timeout("t1")], [{ rule: "timeouts/no-timeout", reason: REASON, expires: "2027-03-31" }]);
    const items = itemsOf(report);
    const [proposal] = proposedWaivers(report, items);
    expect(() => assertCanAcceptProposal(proposal!, itemOf(items, "network.timeouts-retries"), def("network.timeouts-retries"), reviewer, NOW)).not.toThrow();
    expect(proposalDecision(proposal!, 3)).toEqual({ kind: "waive", note: REASON, waiverExpiresAt: new Date("2027-03-31T23:59:59Z"), expectedVersion: 3 });
    expect(waiverExpiry("2027-03-31").toISOString()).toBe("2027-03-31T23:59:59.000Z");
    // An item already carrying exactly that waiver (carried over from an earlier review) needs no second answer.
    const waived = { decision: "waive" as const, decisionNote: REASON, waiverExpiresAt: new Date("2027-03-31T23:59:59Z") };
    expect(waivedAsProposed(waived, proposal!)).toBe(true);
    expect(waivedAsProposed({ ...waived, decisionNote: "Our own, different reason for it." }, proposal!)).toBe(false);
    expect(waivedAsProposed({ ...waived, waiverExpiresAt: new Date("2027-01-31T23:59:59Z") }, proposal!)).toBe(false);
  });

  it("never waives more than the ignore covers: an item with other findings takes a reviewer's own waiver", () => {
    const report = scanWith([timeout("t1", "scripts/seed.ts"), timeout("t2", "src/api.ts"), timeout("t3", "src/b.ts")], [
      { rule: "timeouts/no-timeout", path: "scripts/**", reason: "Seed scripts run by hand on a laptop, never in production.", expires: "2027-03-31" },
    ]);
    const items = itemsOf(report);
    const [proposal] = proposedWaivers(report, items);
    expect(proposal).toMatchObject({ covers: ["t1"], uncovered: ["t2", "t3"] });
    expect(acceptProblem(proposal!, itemOf(items, "network.timeouts-retries"), def("network.timeouts-retries"), lead, NOW)).toBe(
      "launch-review.yml covers 1 of the 3 findings behind this item, and a waiver would cover all of them. Waive the item yourself if the other 2 are acceptable too, or have them fixed.",
    );
  });

  it("needs a security lead for a blocking item, however the repository words it", () => {
    const report = scanWith([tls("s1")], [{ rule: "tls/reject-unauthorized", reason: "Local proxy in development only, never deployed.", expires: "2027-01-31" }]);
    const items = itemsOf(report);
    const [proposal] = proposedWaivers(report, items);
    const item = itemOf(items, "network.outbound-tls");
    expect(def("network.outbound-tls").blocking).toBe(true);
    expect(() => assertCanAcceptProposal(proposal!, item, def("network.outbound-tls"), reviewer, NOW)).toThrow(/only a security lead can accept a waiver of it/);
    expect(() => assertCanAcceptProposal(proposal!, item, def("network.outbound-tls"), lead, NOW)).not.toThrow();
    expect(() => assertCanAcceptProposal(proposal!, item, def("network.outbound-tls"), maintainer, NOW)).toThrow(/Your role can't decide/);
  });

  it.each([
    ["an expiry past the longest waiver", { expires: "2028-06-30" }, /The expiry launch-review.yml gives \(2028-06-30\) is more than 365 days ahead/],
    ["an expiry that has passed since the scan", { expires: "2026-11-27" }, /The expiry launch-review.yml gives \(2026-11-27\) has passed/],
    ["a reason shorter than a sentence", { reason: "dev" }, /The reason launch-review.yml gives for timeouts\/no-timeout \("dev"\) is too short to justify a waiver/],
  ])("refuses %s, saying what to change where", (_name, change, message) => {
    const report = scanWith([timeout("t1")], [{ rule: "timeouts/no-timeout", reason: REASON, expires: "2027-03-31", ...change }]);
    const items = itemsOf(report);
    const [proposal] = proposedWaivers(report, items);
    expect(() => assertCanAcceptProposal(proposal!, itemOf(items, "network.timeouts-retries"), def("network.timeouts-retries"), lead, NOW)).toThrow(message);
  });
});
