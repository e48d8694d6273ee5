import path from "node:path";
import { actorFor } from "@/lib/auth/actor";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recentDeliveries } from "@/db/queries/alerts";
import { insertQueuedScan, markScanRunning } from "@/db/queries/scans";
import { storeScanResult } from "@/lib/scan-results";
import { notify, saveWebhooks, type Webhook } from "@/lib/alerts";
import { saveAllowedWebhookHosts } from "@/lib/alerts/webhook-guard";
import { alertExpiringWaivers, alertNewAdvisories } from "@/lib/alerts/triggers";
import type { Principal } from "@/lib/auth/permissions";
import { registerLocalConnector } from "@/lib/connectors";
import { resetEnvForTests } from "@/lib/env";
import { decideItem, signOffReview, startReview, loadReview, attestItem } from "@/lib/review/service";
import { makeTeam } from "./support/auth";
import { useTestDb } from "./support/db";
import { reportWith, vulnerability } from "./support/reports";
import { startWebhookReceiver, type WebhookReceiver } from "./support/webhook-receiver";

let receiver: WebhookReceiver;
let connectorId: number;
let teamId: number;

function hooks(): Webhook[] {
  return [
    {
      id: "json",
      name: "Ops JSON",
      url: `${receiver.url}/json`,
      format: "json",
      events: ["advisory.new", "signoff.stale", "waiver.expiring", "scan.repeated-failures"],
    },
    { id: "slack", name: "Slack", url: `${receiver.url}/slack`, format: "slack", events: ["advisory.new"] },
  ];
}

async function storeScan(report = reportWith()): Promise<number> {
  const scan = await insertQueuedScan(connectorId, "manual", "c");
  await markScanRunning(scan.id);
  await storeScanResult(scan.id, report, "test");
  return scan.id;
}

describe("alerts", () => {
  beforeEach(async () => {
    process.env.LAUNCH_REVIEW_LOCAL_ROOT = path.resolve("examples");
    process.env.LAUNCH_REVIEW_BASE_URL = "https://review.example";
    resetEnvForTests();
    await useTestDb();
    receiver = await startWebhookReceiver();
    teamId = (await makeTeam("T")).id;
    ({
      connector: { id: connectorId },
    } = await registerLocalConnector(
      { name: "Acme Notes", path: "demo-connector", subdirectory: "", scanNow: false, teamId },
      { id: "u", correlationId: "c" },
    ));
    await saveWebhooks(hooks(), "admin");
    // The receiver listens on loopback: an administrator allows it, as the webhook guard asks.
    await saveAllowedWebhookHosts(["127.0.0.1"], "admin");
  });
  afterEach(async () => {
    delete process.env.LAUNCH_REVIEW_BASE_URL;
    await receiver.close();
  });

  it("announce a new critical or high advisory in JSON and in Slack's format, once", async () => {
    const first = await storeScan(reportWith({ vulnerabilities: [vulnerability("express", "4.18.2", "GHSA-old")] }));
    const second = await storeScan(
      reportWith({ vulnerabilities: [vulnerability("express", "4.18.2", "GHSA-old"), vulnerability("react", "19.0.0", "GHSA-new")] }),
    );
    await alertNewAdvisories(connectorId, second, first);
    expect(receiver.received.map((r) => r.path).sort()).toEqual(["/json", "/slack"]);
    const json = receiver.received.find((r) => r.path === "/json")!.body;
    expect(json).toMatchObject({
      source: "launch-review",
      event: "advisory.new",
      connector: { id: connectorId, name: "Acme Notes" },
      details: { package: "react", version: "19.0.0", advisory: "GHSA-new", severity: "high" },
      url: `https://review.example/scans/${second}/dependencies`,
    });
    const slack = receiver.received.find((r) => r.path === "/slack")!.body;
    expect(slack.text).toContain("GHSA-new in react@19.0.0");
    expect(slack.text).toContain(`<https://review.example/scans/${second}/dependencies|Open>`);
    expect(slack).toMatchObject({ blocks: [{ type: "section", text: { type: "mrkdwn" } }] });

    // The same advisory seen again later is not announced again.
    const third = await storeScan(reportWith({ vulnerabilities: [vulnerability("react", "19.0.0", "GHSA-new")] }));
    await alertNewAdvisories(connectorId, third, null);
    expect(receiver.received).toHaveLength(2);
  });

  it("escape Slack's control characters in titles", async () => {
    await notify({ type: "test", title: "a <script> & b" }, { only: { ...hooks()[1]!, events: ["advisory.new"] } });
    expect(receiver.received[0]!.body.text).toContain("a &lt;script&gt; &amp; b");
  });

  it("record failed deliveries with the reason", async () => {
    receiver.status = 500;
    const results = await notify({ type: "test", title: "ping" }, { only: hooks()[0]! });
    expect(results).toEqual([{ webhookId: "json", status: 500, error: "answered 500" }]);
    expect((await recentDeliveries())[0]).toMatchObject({ webhookId: "json", event: "test", status: 500, error: "answered 500" });
  });

  it("announce a waiver that expires within a week, once", async () => {
    await storeScan(reportWith());
    const member = (id: string, role: "reviewer" | "security-lead"): Principal => ({
      id,
      isAdmin: false,
      memberships: [{ teamId, teamName: "T", role }],
    });
    const reviewer = actorFor(member("rev", "reviewer"), "c");
    const lead = actorFor(member("lead", "security-lead"), "c");
    const review = await startReview(connectorId, reviewer);
    for (const item of (await loadReview(review.id)).items) {
      const def = (await loadReview(review.id)).template.items.find((d) => d.id === item.itemId)!;
      if (!def.blocking || (def.verification === "automatic" && item.autoStatus === "pass")) continue;
      if (def.verification !== "automatic")
        await attestItem(review.id, def.id, "Checked with the team on the call.", "https://wiki/x", reviewer);
      await decideItem(review.id, def.id, { kind: "accept", note: "" }, reviewer);
    }
    const expires = new Date(Date.now() + 3 * 24 * 3600_000);
    await decideItem(
      review.id,
      "network.timeouts-retries",
      { kind: "waive", note: "SDK retries for us until v2.", waiverExpiresAt: expires },
      lead,
    );
    await signOffReview(review.id, reviewer);

    await alertExpiringWaivers(new Date());
    await alertExpiringWaivers(new Date());
    const waivers = receiver.received.filter((r) => r.body.event === "waiver.expiring");
    expect(waivers).toHaveLength(1);
    expect(waivers[0]!.body).toMatchObject({ details: { itemId: "network.timeouts-retries", expiresAt: expires.toISOString() } });
  });
});
