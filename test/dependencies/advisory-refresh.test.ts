// Integration: a signed-off connector whose code doesn't change still goes stale when an advisory is published
// against a version it locks. The scheduler's advisory refresh rescans it (asking the source, not the cache), the
// new finding changes the dependency item, and the sign-off turns stale with the advisory named.
import { sql } from "drizzle-orm";
import fs from "node:fs";
import { actorFor } from "@/lib/auth/actor";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getScan, latestSucceededScan } from "@/db/queries/scans";
import { saveWebhooks } from "@/lib/alerts";
import { saveAllowedWebhookHosts } from "@/lib/alerts/webhook-guard";
import type { Principal } from "@/lib/auth/permissions";
import { registerLocalConnector, requestScan } from "@/lib/connectors";
import { resetEnvForTests } from "@/lib/env";
import { scanQueue } from "@/lib/jobs/scan-queue";
import { schedulerTick } from "@/lib/jobs/scheduler";
import type { ScanReport } from "@/lib/core/report";
import { attestItem, decideItem, loadReview, signOffReview, startReview } from "@/lib/review/service";
import { makeTeam } from "../support/auth";
import { useTestDb } from "../support/db";
import { packumentsFromLockfile, startFakeRegistry, type FakeRegistry } from "../support/fake-registry";
import { fixtureAdvisories } from "../support/registry-fixture";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver";
import { at, testExec } from "../support/sql";

const fixtures = path.resolve("test/fixtures");
const HOUR = 3600_000;

describe("advisory refresh", () => {
  let registry: FakeRegistry;
  let receiver: WebhookReceiver;
  const saved = { registry: process.env.npm_config_registry, root: process.env.LAUNCH_REVIEW_LOCAL_ROOT };

  beforeEach(async () => {
    const lock = JSON.parse(fs.readFileSync(path.join(fixtures, "clean-connector-ts/package-lock.json"), "utf8"));
    registry = await startFakeRegistry({ advisories: fixtureAdvisories(), packuments: packumentsFromLockfile(lock) });
    process.env.npm_config_registry = registry.url;
    process.env.LAUNCH_REVIEW_LOCAL_ROOT = fixtures;
    resetEnvForTests();
    await useTestDb();
    receiver = await startWebhookReceiver();
    await saveAllowedWebhookHosts(["127.0.0.1"], "admin");
    await saveWebhooks(
      [{ id: "ops", name: "Ops", url: `${receiver.url}/hook`, format: "json", events: ["advisory.new", "signoff.stale"] }],
      "admin",
    );
  });
  afterEach(async () => {
    await scanQueue().whenIdle();
    await registry.close();
    await receiver.close();
    process.env.npm_config_registry = saved.registry;
    process.env.LAUNCH_REVIEW_LOCAL_ROOT = saved.root;
    resetEnvForTests();
  });

  it("a new advisory on a locked version turns the sign-off stale, without a code change, and alerts", async () => {
    const team = await makeTeam("Connectors");
    const actorId = { id: "maintainer", correlationId: "c-1" };
    const { connector } = await registerLocalConnector(
      { name: "Tidy Tasks", path: "clean-connector-ts", subdirectory: "", scanNow: false, teamId: team.id },
      actorId,
    );
    await requestScan(connector.id, "manual", actorId);
    await scanQueue().whenIdle();
    const first = (await latestSucceededScan(connector.id))!;
    const firstReport = JSON.parse(first.report!) as ScanReport;
    expect(firstReport.dependencies.vulnerabilities).toEqual([]);
    expect(firstReport.checklist.find((i) => i.id === "operations.dependencies-patched")!.status).toBe("pass");

    // Review and sign off.
    const lead: Principal = { id: "lead", isAdmin: false, memberships: [{ teamId: team.id, teamName: team.name, role: "security-lead" }] };
    const actor = actorFor(lead, "c-2");
    const review = await startReview(connector.id, actor);
    const view = await loadReview(review.id);
    for (const item of view.items) {
      const def = view.template.items.find((d) => d.id === item.itemId)!;
      if (!def.blocking || (def.verification === "automatic" && item.autoStatus === "pass")) continue;
      if (def.verification !== "automatic")
        await attestItem(review.id, def.id, "Checked on the review call.", "https://wiki.example/review", actor);
      await decideItem(review.id, def.id, { kind: "accept", note: "" }, actor);
    }
    await signOffReview(review.id, actor);
    expect((await loadReview(review.id)).review.status).toBe("signed-off");

    // An advisory is published against the express the connector locks; the cached answer is still fresh.
    const express = JSON.parse(fs.readFileSync(path.join(fixtures, "clean-connector-ts/package-lock.json"), "utf8")).packages[
      "node_modules/express"
    ].version as string;
    const res = await fetch(new URL("__control/advisories", registry.url), {
      method: "POST",
      body: JSON.stringify({
        express: [
          {
            id: 920001,
            url: "https://github.com/advisories/GHSA-r4fx-2m8q-7c3p",
            title: "Test: query parser prototype pollution",
            severity: "high",
            vulnerable_versions: `<=${express}`,
          },
        ],
      }),
    });
    expect(res.ok).toBe(true);

    // Not yet due: the last scan is fresh.
    expect((await schedulerTick(new Date())).advisoryRefresh).toEqual([]);
    await testExec(sql`update scans set queued_at = ${at(Date.now() - 7 * HOUR)}, finished_at = ${at(Date.now() - 7 * HOUR)} where connector_id = ${connector.id}`);
    const bulkBefore = registry.bulkRequests.length;
    const tick = await schedulerTick(new Date());
    expect(tick.advisoryRefresh).toHaveLength(1);
    await scanQueue().whenIdle();

    const refresh = (await getScan(tick.advisoryRefresh[0]!))!;
    expect(refresh).toMatchObject({ status: "succeeded", trigger: "advisory-refresh" });
    // The refresh asked the registry again although the cached answer was within its TTL.
    expect(registry.bulkRequests.length).toBe(bulkBefore + 1);
    const refreshed = JSON.parse(refresh.report!) as ScanReport;
    expect(refreshed.source.contentHash).toBe(firstReport.source.contentHash);
    expect(refreshed.dependencies.vulnerabilities.map((v) => `${v.package}@${v.version} ${v.advisory}`)).toEqual([
      `express@${express} GHSA-r4fx-2m8q-7c3p`,
    ]);
    expect(refreshed.checklist.find((i) => i.id === "operations.dependencies-patched")!.status).toBe("fail");

    const after = (await loadReview(review.id)).review;
    expect(after.status).toBe("stale");
    expect(after.staleScanId).toBe(refresh.id);
    expect(after.staleReasons).toContain(`New advisory: express@${express} GHSA-r4fx-2m8q-7c3p.`);

    // Both alerts reach the webhook: the new high advisory, and the stale sign-off.
    await expect
      .poll(() => receiver.received.map((r) => r.body.event).sort(), { timeout: 10_000 })
      .toEqual(["advisory.new", "signoff.stale"]);
    expect(JSON.stringify(receiver.received)).toContain("GHSA-r4fx-2m8q-7c3p");
  });
});
