// Item 9 of the attack on a running instance: two reviewers, one item, the last write won silently. Decisions now
// carry the item version their form showed; a stale one is refused with the newer decision.
import path from "node:path";
import { actorFor } from "@/lib/auth/actor";
import { beforeEach, describe, expect, it } from "vitest";
import { itemsOf, updateReviewItem } from "@/db/queries/reviews";
import { insertQueuedScan, markScanRunning } from "@/db/queries/scans";
import { storeScanResult } from "@/lib/scan-results";
import type { Principal } from "@/lib/auth/permissions";
import { registerLocalConnector } from "@/lib/connectors";
import { resetEnvForTests } from "@/lib/env";
import { AppError } from "@/lib/core/errors";
import { decideItem, startReview } from "@/lib/review/service";
import { makeTeam, makeUser } from "../support/auth";
import { useTestDb } from "../support/db";
import { reportWith } from "../support/reports";

const ITEM = "network.timeouts-retries";
let teamId: number;
let reviewId: number;
let ada: Principal;
let bo: Principal;
const as = (p: Principal) => actorFor(p, `corr-${p.id}`);
const versionOf = async () => (await itemsOf(reviewId)).find((i) => i.itemId === ITEM)!.version;

beforeEach(async () => {
  process.env.LAUNCH_REVIEW_LOCAL_ROOT = path.resolve("examples");
  resetEnvForTests();
  await useTestDb();
  teamId = (await makeTeam("T")).id;
  const member = async (email: string): Promise<Principal> => ({
    id: (await makeUser(email, { teamId, role: "reviewer" })).id,
    isAdmin: false,
    memberships: [{ teamId, teamName: "T", role: "reviewer" }],
  });
  ada = await member("ada@example.com");
  bo = await member("bo@example.com");
  const { connector } = await registerLocalConnector(
    { name: "C", path: "demo-connector", subdirectory: "", scanNow: false, teamId },
    { id: "maint", correlationId: "c" },
  );
  const scan = await insertQueuedScan(connector.id, "manual", "c");
  await markScanRunning(scan.id);
  await storeScanResult(scan.id, reportWith({}), "test");
  reviewId = (await startReview(connector.id, as(ada))).id;
});

describe("deciding one item twice", () => {
  it("refuses the second decision made on the version both saw, naming the newer decision", async () => {
    const shown = await versionOf();
    await decideItem(reviewId, ITEM, { kind: "request-changes", note: "Add a timeout.", expectedVersion: shown }, as(ada));
    expect(await versionOf()).toBe(shown + 1);
    let refused: unknown;
    try {
      await decideItem(reviewId, ITEM, { kind: "request-changes", note: "Use backoff.", expectedVersion: shown }, as(bo));
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe("conflict:item");
    expect((refused as AppError).message).toMatch(
      /^This item changed since you opened it: ada requested changes on .* UTC: “Add a timeout.”/,
    );
    // Nothing was overwritten.
    expect((await itemsOf(reviewId)).find((i) => i.itemId === ITEM)).toMatchObject({ decisionNote: "Add a timeout.", decidedBy: ada.id });
    // On the newer version, the second reviewer's decision is saved.
    await decideItem(reviewId, ITEM, { kind: "request-changes", note: "Use backoff.", expectedVersion: shown + 1 }, as(bo));
    expect((await itemsOf(reviewId)).find((i) => i.itemId === ITEM)).toMatchObject({ decisionNote: "Use backoff.", decidedBy: bo.id });
  });

  it("writes only while the item is still at the version read, so a write between read and write is not lost", async () => {
    const v = await versionOf();
    expect(await updateReviewItem(reviewId, ITEM, { decisionNote: "first" }, undefined, v)).toBe(true);
    expect(await updateReviewItem(reviewId, ITEM, { decisionNote: "second" }, undefined, v)).toBe(false);
    expect((await itemsOf(reviewId)).find((i) => i.itemId === ITEM)!.decisionNote).toBe("first");
  });
});
