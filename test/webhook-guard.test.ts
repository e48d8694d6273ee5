// Item 6 of the attack on a running instance: webhooks to 169.254.169.254 and 127.0.0.1 were saved and sent, and the
// answer's status shown back. Now the live view's address guard applies, at save time and again at send time.
import dns from "node:dns";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { recentDeliveries } from "@/db/queries/alerts";
import { notify, type Webhook } from "@/lib/alerts";
import { checkWebhookUrl, ownAddresses, saveAllowedWebhookHosts } from "@/lib/alerts/webhook-guard";
import { resetEnvForTests } from "@/lib/env";
import { useTestDb } from "./support/db";
import { startWebhookReceiver, type WebhookReceiver } from "./support/webhook-receiver";

let receiver: WebhookReceiver;
beforeEach(async () => {
  resetEnvForTests();
  await useTestDb();
  receiver = await startWebhookReceiver();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await receiver.close();
});

const hook = (url: string): Webhook => ({ id: "h", name: "Hook", url, format: "json", events: ["advisory.new"] });

describe("webhook addresses", () => {
  it("refuses link-local, metadata, loopback, private and the host's own addresses when saved", () => {
    for (const url of ["http://169.254.169.254/latest/meta-data/", "http://metadata.google.internal/", "http://[fe80::1]/"]) {
      expect(() => checkWebhookUrl(url, [])).toThrow(/webhooks are not sent there\.$/);
    }
    for (const url of ["http://127.0.0.1:9/hook", "http://10.1.2.3/", "http://192.168.1.1/", "http://localhost/", "http://[::1]/"]) {
      expect(() => checkWebhookUrl(url, [])).toThrow(/An administrator can allow it under Admin → Alerts/);
    }
    const own = [...ownAddresses()].find((a) => !a.startsWith("127.") && a !== "::1");
    if (own) expect(() => checkWebhookUrl(`http://${own.includes(":") ? `[${own}]` : own}/`, [])).toThrow(/not sent there/);
    expect(checkWebhookUrl("https://hooks.slack.com/services/x", []).host).toBe("hooks.slack.com");
  });

  it("lets an administrator allow a listed private host, but never a metadata address", () => {
    expect(checkWebhookUrl("http://127.0.0.1:9/hook", ["127.0.0.1"]).port).toBe("9");
    expect(() => checkWebhookUrl("http://169.254.169.254/", ["169.254.169.254"])).toThrow(/link-local/);
  });

  it("checks again at send time: nothing reaches a loopback receiver that is not allowed, and no status is shown", async () => {
    const [result] = await notify({ type: "test", title: "ping" }, { only: hook(`${receiver.url}/hook`) });
    expect(result).toMatchObject({ status: null, error: expect.stringMatching(/127\.0\.0\.1 is a private or loopback address/) });
    expect(receiver.received).toEqual([]);
    expect((await recentDeliveries())[0]).toMatchObject({ status: null });
    await saveAllowedWebhookHosts(["127.0.0.1"], "admin");
    const [allowed] = await notify({ type: "test", title: "ping again" }, { only: hook(`${receiver.url}/hook`) });
    expect(allowed).toMatchObject({ status: 200, error: null });
    expect(receiver.received).toHaveLength(1);
  });

  it("checks the address a host name resolves to, at connect time", async () => {
    // A public-looking name that resolves to loopback (DNS rebinding): refused after resolution.
    const port = new URL(receiver.url).port;
    const lookup = dns.lookup;
    vi.spyOn(dns, "lookup").mockImplementation(((host: string, options: unknown, callback: unknown) => {
      if (host === "hooks.rebind.example")
        return (callback as (e: null, a: dns.LookupAddress[]) => void)(null, [{ address: "127.0.0.1", family: 4 }]);
      return (lookup as (...args: unknown[]) => void)(host, options, callback);
    }) as typeof dns.lookup);
    const [result] = await notify({ type: "test", title: "rebind" }, { only: hook(`http://hooks.rebind.example:${port}/hook`) });
    expect(result?.status).toBeNull();
    expect(result?.error).toMatch(/hooks\.rebind\.example resolves to 127\.0\.0\.1, a private or loopback address/);
    expect(receiver.received).toEqual([]);
  });
});
