// A webhook receiver on 127.0.0.1 for alert tests: records every JSON body it gets.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface WebhookReceiver {
  url: string;
  received: Array<{ path: string; body: Record<string, unknown> }>;
  /** Answer with this status from now on. */
  status: number;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const state = { received: [] as WebhookReceiver["received"], status: 200 };
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      state.received.push({ path: req.url ?? "/", body: JSON.parse(body) as Record<string, unknown> });
      res.statusCode = state.status;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received: state.received,
    get status() {
      return state.status;
    },
    set status(v: number) {
      state.status = v;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
