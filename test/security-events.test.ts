import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { saveAllowedWebhookHosts } from "@/lib/alerts/webhook-guard";
import { setSetting } from "@/db/queries/settings";
import { listSecurityEvents } from "@/db/queries/security";
import { alertIfThresholdCrossed, recordSecurityEvent, resetSecurityAlertMemory, SECURITY_ALERTS_KEY } from "@/lib/security-events";
import { useTestDb } from "./support/db";

describe("security events and alerts", () => {
  let server: http.Server;
  let received: Array<Record<string, unknown>>;
  let url: string;

  beforeEach(async () => {
    await useTestDb();
    // The receiver listens on loopback: an administrator allows it, as the webhook guard asks.
    await saveAllowedWebhookHosts(["127.0.0.1"], "admin");
    resetSecurityAlertMemory();
    received = [];
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push(JSON.parse(body) as Record<string, unknown>);
        res.end("ok");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterEach(() => new Promise<void>((r) => server.close(() => r())));

  it("are recorded with who, where and the correlation id", async () => {
    await recordSecurityEvent({
      type: "permission.denied",
      actor: "u1",
      ip: "192.0.2.4",
      correlationId: "corr",
      details: { what: "admin" },
    });
    expect((await listSecurityEvents())[0]).toMatchObject({
      type: "permission.denied",
      actor: "u1",
      ip: "192.0.2.4",
      correlationId: "corr",
      details: { what: "admin" },
    });
  });

  it("post one alert to the webhook when a type crosses the threshold in the window", async () => {
    await setSetting(SECURITY_ALERTS_KEY, { webhookUrl: url, threshold: 3, windowMinutes: 15 }, "admin");
    const now = new Date();
    for (let i = 0; i < 2; i++) await recordSecurityEvent({ type: "sign-in.failed", actor: "x" }, now);
    expect(await alertIfThresholdCrossed("sign-in.failed", now)).toBe(false);
    await recordSecurityEvent({ type: "sign-in.failed", actor: "x" }, now);
    await new Promise((r) => setTimeout(r, 200));
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      source: "launch-review",
      kind: "security-threshold",
      type: "sign-in.failed",
      count: 3,
      threshold: 3,
    });
    // A fourth event in the same window does not alert again.
    expect(await alertIfThresholdCrossed("sign-in.failed", now)).toBe(false);
  });

  it("send nothing when no webhook is configured", async () => {
    for (let i = 0; i < 20; i++) await recordSecurityEvent({ type: "permission.denied" });
    expect(await alertIfThresholdCrossed("permission.denied")).toBe(false);
    expect(received).toEqual([]);
  });
});
