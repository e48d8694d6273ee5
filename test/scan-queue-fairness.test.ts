// Item 3 of the attack on a running instance: with two slots, a hanging GitHub source and one that drips a byte a
// second held both, and a quick local scan waited 95 s. The queue now keeps a slot for other hosts and connectors,
// and downloads have an idle and a total deadline.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { nextRunnable, slotCaps, sourceHost, type SlotJob } from "@/lib/jobs/fairness";
import type { FakeGitHub } from "./support/fake-github";
import { NOTES_REPO, startFixtureGitHub } from "./support/github-fixtures";

describe("fair slots (pure)", () => {
  const gh = (scanId: number, connectorId = scanId): SlotJob => ({ scanId, connectorId, host: "api.github.com" });
  const local = (scanId: number, connectorId = scanId): SlotJob => ({ scanId, connectorId, host: "local" });

  it("keeps one slot for another host: two slots never both read from GitHub", () => {
    const caps = slotCaps(2);
    expect(caps).toEqual({ total: 2, perConnector: 1, perHost: 1 });
    expect(nextRunnable([gh(2), local(3)], [gh(1)], caps)).toBe(1);
    expect(nextRunnable([gh(2)], [gh(1)], caps)).toBe(-1);
    expect(nextRunnable([local(3)], [gh(1), local(2)], caps)).toBe(-1);
  });

  it("runs one scan per connector at a time, without holding up other connectors", () => {
    const caps = slotCaps(4);
    expect(caps.perHost).toBe(3);
    expect(nextRunnable([local(2, 7), local(3, 8)], [local(1, 7)], caps)).toBe(1);
  });

  it("names the host a source reads from", () => {
    expect(sourceHost({ kind: "local" })).toBe("local");
    expect(sourceHost({ kind: "github", apiUrl: "https://GHE.example/api/v3" })).toBe("ghe.example");
    expect(sourceHost({ kind: "npm", registry: "https://Registry.npmjs.org/" })).toBe("registry.npmjs.org");
    expect(slotCaps(1)).toEqual({ total: 1, perConnector: 1, perHost: 1 });
  });
});

describe("the scan queue with slow GitHub sources", () => {
  let fake: FakeGitHub;
  beforeAll(async () => {
    ({ github: fake } = await startFixtureGitHub());
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(async () => {
    process.env.GITHUB_API_URL = fake.apiUrl;
    process.env.LAUNCH_REVIEW_SECRET = "0".repeat(63) + "b";
    process.env.LAUNCH_REVIEW_DOWNLOAD_IDLE_SECONDS = "1";
    process.env.LAUNCH_REVIEW_DOWNLOAD_TIMEOUT_SECONDS = "3";
    (await import("@/lib/env")).resetEnvForTests();
    await (await import("./support/db")).useTestDb();
  });

  it("a hanging and a dripping download don't starve a local scan, and each is cut off by its deadline", async () => {
    const { insertTeam } = await import("@/db/queries/teams");
    const { getScan, insertQueuedScan } = await import("@/db/queries/scans");
    const { registerGitHubConnector, RegisterGitHubSchema } = await import("@/lib/connectors-github");
    const { registerLocalConnector, RegisterLocalSchema } = await import("@/lib/connectors");
    const { ScanQueue } = await import("@/lib/jobs/scan-queue");
    const actor = { id: "tester", correlationId: "fair" };
    const teamId = (await insertTeam("Fair team")).id;
    const github = async (name: string) =>
      (await registerGitHubConnector(RegisterGitHubSchema.parse({ name, repository: NOTES_REPO, scanNow: false, teamId }), actor))
        .connector;
    const hangs = await github("Hangs");
    const drips = await github("Drips");
    const quick = (
      await registerLocalConnector(RegisterLocalSchema.parse({ name: "Quick", path: "demo-connector", scanNow: false, teamId }), actor)
    ).connector;

    fake.stallNextDownload();
    fake.dripNextDownload(100);
    const queue = new ScanQueue({ concurrency: 2 });
    const [a, b, c] = [
      await insertQueuedScan(hangs.id, "manual", "fair"),
      await insertQueuedScan(drips.id, "manual", "fair"),
      await insertQueuedScan(quick.id, "manual", "fair"),
    ];
    for (const s of [a, b, c]) await queue.enqueue(s.id);

    // The local scan gets the slot the GitHub host may not take.
    expect(queue.running()).toEqual([a.id, c.id]);
    await queue.whenIdle();
    const hung = (await getScan(a.id))!;
    const dripped = (await getScan(b.id))!;
    const local = (await getScan(c.id))!;
    expect(local.status).toBe("succeeded");
    expect(local.startedAt!.getTime()).toBeLessThan(hung.finishedAt!.getTime());
    expect(hung).toMatchObject({ status: "failed" });
    expect(hung.error).toContain("no data arrived for 1 s");
    expect(dripped).toMatchObject({ status: "failed" });
    expect(dripped.error).toContain("the download took longer than 3 s");
  }, 60_000);
});
