// Waivers launch-review.yml proposes, through the review service and a real database: a scan of a connector whose
// file ignores findings, a review of it, and reviewers accepting (the item waived with the declared reasons and the
// earliest expiry) or rejecting each proposal, once, audited; the roles and versions of any decision apply.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { listAudit } from "@/db/queries/audit";
import { itemsOf } from "@/db/queries/reviews";
import { insertQueuedScan, markScanRunning } from "@/db/queries/scans";
import { actorFor } from "@/lib/auth/actor";
import type { Principal } from "@/lib/auth/permissions";
import { registerLocalConnector } from "@/lib/connectors";
import type { ScanReport } from "@/lib/core/report";
import { runScan } from "@/lib/engine/scan";
import { resetEnvForTests } from "@/lib/env";
import { acceptProposedWaiver, proposalsOfReview, rejectProposedWaiver } from "@/lib/review/proposal-service";
import { decideItem, loadReview, startReview } from "@/lib/review/service";
import { storeScanResult } from "@/lib/scan-results";
import { makeTeam } from "../support/auth";
import { useTestDb } from "../support/db";

const DAY = 24 * 3600_000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);
const TIMEOUT_REASON = "The notes API sits behind our gateway, which enforces a 10 s timeout.";
const RETRY_REASON = "The gateway retries idempotent calls twice before it answers.";
const TLS_REASON = "Only the local development proxy uses a self-signed certificate.";

let report: ScanReport;
let teamId: number;
let reviewId: number;
let connectorId: number;
const member = (id: string, role: "maintainer" | "reviewer" | "security-lead" | "viewer"): Principal => ({
  id,
  isAdmin: false,
  memberships: [{ teamId, teamName: "T", role }],
});
const as = (id: string, role: Parameters<typeof member>[1]) => actorFor(member(id, role), `corr-${id}`);
const proposal = async (itemId: string) => {
  const view = await loadReview(reviewId);
  return (await proposalsOfReview(reviewId, view.report, view.items)).find((p) => p.itemId === itemId)!;
};
const item = async (itemId: string) => (await itemsOf(reviewId)).find((i) => i.itemId === itemId)!;

beforeAll(async () => {
  // The demo connector with a launch-review.yml that ignores its timeout, retry and TLS findings.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lr-proposals-"));
  fs.cpSync(path.resolve("examples/demo-connector"), dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "launch-review.yml"),
    [
      "ignore:",
      "  - rule: net/no-timeout",
      `    reason: ${TIMEOUT_REASON}`,
      `    expires: ${inDays(90)}`,
      "  - rule: net/no-retry",
      `    reason: ${RETRY_REASON}`,
      `    expires: ${inDays(60)}`,
      "  - rule: tls/reject-unauthorized",
      "    path: src/**",
      `    reason: ${TLS_REASON}`,
      `    expires: ${inDays(30)}`,
      "",
    ].join("\n"),
  );
  report = await runScan({ kind: "local", path: dir });
});

beforeEach(async () => {
  process.env.LAUNCH_REVIEW_LOCAL_ROOT = path.resolve("examples");
  resetEnvForTests();
  await useTestDb();
  teamId = (await makeTeam("T")).id;
  const { connector } = await registerLocalConnector(
    { name: "C", path: "demo-connector", subdirectory: "", scanNow: false, teamId },
    { id: "maint", correlationId: "c" },
  );
  connectorId = connector.id;
  await storeScan();
  reviewId = (await startReview(connector.id, as("rev", "reviewer"))).id;
});

async function storeScan() {
  const scan = await insertQueuedScan(connectorId, "manual", "c");
  await markScanRunning(scan.id);
  await storeScanResult(scan.id, report, "test");
}

describe("proposed waivers in a review", () => {
  it("are listed on the items the ignored findings belong to, and only those, the findings staying in the report", async () => {
    const view = await loadReview(reviewId);
    const proposals = await proposalsOfReview(reviewId, view.report, view.items);
    expect(proposals.map((p) => [p.itemId, p.ignores.map((i) => i.rule), p.uncovered.length, p.decision])).toEqual([
      ["network.outbound-tls", ["tls/reject-unauthorized"], 0, null],
      ["network.timeouts-retries", ["net/no-timeout", "net/no-retry"], 0, null],
    ]);
    // The app never applies the file by itself: the findings are still there and the items still fail.
    expect(report.findings.filter((f) => ["net/no-timeout", "net/no-retry", "tls/reject-unauthorized"].includes(f.ruleId))).toHaveLength(3);
    expect(await item("network.timeouts-retries")).toMatchObject({ autoStatus: "fail", decision: null });
  });

  it("accepted: the item is waived with the declared reasons and the earliest expiry, once, and audited", async () => {
    const p = await proposal("network.timeouts-retries");
    await acceptProposedWaiver(reviewId, p.itemId, p.key, (await item(p.itemId)).version, as("rev", "reviewer"));
    expect(await item(p.itemId)).toMatchObject({
      decision: "waive",
      decidedBy: "rev",
      decisionNote: `net/no-timeout: ${TIMEOUT_REASON} · net/no-retry: ${RETRY_REASON}`,
      waiverExpiresAt: new Date(`${inDays(60)}T23:59:59Z`),
    });
    expect(await proposal(p.itemId)).toMatchObject({ decision: "accepted", decidedBy: "rev" });
    const entry = (await listAudit()).find((e) => e.action === "review.waiver");
    expect(entry).toMatchObject({ actor: "rev", targetId: String(reviewId) });
    expect(entry!.details).toMatchObject({
      itemId: p.itemId,
      decision: "waive",
      proposal: { key: p.key, source: "launch-review.yml", findings: 2, ignores: [{ rule: "net/no-timeout" }, { rule: "net/no-retry" }] },
    });
    await expect(
      acceptProposedWaiver(reviewId, p.itemId, p.key, (await item(p.itemId)).version, as("lead", "security-lead")),
    ).rejects.toThrow("This proposed waiver was already accepted by");
  });

  it("rejected: recorded and audited, the item's own decision untouched, and not asked again", async () => {
    const p = await proposal("network.timeouts-retries");
    await rejectProposedWaiver(reviewId, p.itemId, p.key, as("rev", "reviewer"));
    expect(await proposal(p.itemId)).toMatchObject({ decision: "rejected", decidedBy: "rev" });
    expect(await item(p.itemId)).toMatchObject({ decision: null, version: 0 });
    expect((await listAudit()).find((e) => e.action === "review.waiver-rejected")?.details).toMatchObject({
      itemId: p.itemId,
      proposal: { key: p.key },
    });
    await expect(acceptProposedWaiver(reviewId, p.itemId, p.key, 0, as("rev", "reviewer"))).rejects.toThrow(/already rejected/);
  });

  it("on a blocking item, takes a security lead, as any waiver of it does", async () => {
    const p = await proposal("network.outbound-tls");
    await expect(acceptProposedWaiver(reviewId, p.itemId, p.key, 0, as("rev", "reviewer"))).rejects.toThrow(
      /only a security lead can accept/,
    );
    expect((await proposal(p.itemId)).decision).toBeNull();
    await acceptProposedWaiver(reviewId, p.itemId, p.key, 0, as("lead", "security-lead"));
    expect(await item(p.itemId)).toMatchObject({
      decision: "waive",
      decisionNote: TLS_REASON,
      waiverExpiresAt: new Date(`${inDays(30)}T23:59:59Z`),
    });
  });

  it("accepted in an earlier review: shown as answered in the next, whose item carried the waiver over, and not asked again", async () => {
    const p = await proposal("network.timeouts-retries");
    await acceptProposedWaiver(reviewId, p.itemId, p.key, 0, as("rev", "reviewer"));
    await storeScan();
    const first = reviewId;
    reviewId = (await startReview(connectorId, as("lead", "security-lead"))).id;
    expect(reviewId).not.toBe(first);
    expect(await item(p.itemId)).toMatchObject({ decision: "waive", carriedOver: true });
    expect(await proposal(p.itemId)).toMatchObject({ key: p.key, decision: "accepted", decidedBy: "rev", carriedOver: true });
    // The other proposal was never answered: the new review asks about it.
    expect(await proposal("network.outbound-tls")).toMatchObject({ decision: null, carriedOver: false });
    const version = (await item(p.itemId)).version;
    for (const answer of [
      () => acceptProposedWaiver(reviewId, p.itemId, p.key, version, as("lead", "security-lead")),
      () => rejectProposedWaiver(reviewId, p.itemId, p.key, as("lead", "security-lead")),
    ])
      await expect(answer()).rejects.toThrow("already accepted by someone in an earlier review (the waiver carried over)");
  });

  it("refuses roles that can't decide, a form older than the item's last decision, and proposals that don't exist", async () => {
    const p = await proposal("network.timeouts-retries");
    for (const role of ["viewer", "maintainer"] as const) {
      await expect(acceptProposedWaiver(reviewId, p.itemId, p.key, 0, as(role, role))).rejects.toThrow(/Your role can't decide/);
      await expect(rejectProposedWaiver(reviewId, p.itemId, p.key, as(role, role))).rejects.toThrow(/Your role can't decide/);
    }
    await expect(acceptProposedWaiver(reviewId, "network.outbound-tls", p.key, 0, as("lead", "security-lead"))).rejects.toThrow(
      "launch-review.yml proposes no such waiver on this item.",
    );
    // Someone requested changes after the page was shown: the accept on the old version is refused, nothing changes.
    await decideItem(
      reviewId,
      p.itemId,
      { kind: "request-changes", note: "Add the timeout in code, please." },
      as("lead", "security-lead"),
    );
    await expect(acceptProposedWaiver(reviewId, p.itemId, p.key, 0, as("rev", "reviewer"))).rejects.toThrow(
      /This item changed since you opened it/,
    );
    expect((await item(p.itemId)).decision).toBe("request-changes");
    expect((await proposal(p.itemId)).decision).toBeNull();
  });
});
