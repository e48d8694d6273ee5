// Item 8 of the attack on a running instance: the Playwright config hard-coded port 3100, so a run failed whenever
// anything else on the machine held it. It now picks a free port (E2E_PORT still wins when set).
import { execFile } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { describe, expect, it } from "vitest";

function configBaseUrl(env: Record<string, string | undefined>): Promise<string> {
  const script =
    "import('./e2e/playwright.config.ts').then((m) => { const c = m.default?.default ?? m.default ?? m; process.stdout.write(String(c.use.baseURL)); })";
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "-e", script],
      { cwd: path.resolve("."), env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } as unknown as NodeJS.ProcessEnv },
      (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(stdout)),
    );
  });
}

function listen(port: number): Promise<http.Server | null> {
  return new Promise((resolve) => {
    const server = http.createServer();
    server.once("error", () => resolve(null));
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

describe("the end-to-end tests' port", () => {
  it("is a free one, not 3100, when something else holds 3100", async () => {
    // Hold 3100 (or find it already held by someone else: the point either way).
    const holder = await listen(3100);
    try {
      const url = new URL(await configBaseUrl({}));
      expect(Number(url.port)).not.toBe(3100);
      const probe = await listen(Number(url.port));
      expect(probe).not.toBeNull();
      probe?.close();
    } finally {
      holder?.close();
    }
  }, 60_000);

  it("is E2E_PORT when set", async () => {
    expect(await configBaseUrl({ E2E_PORT: "4555" })).toBe("http://127.0.0.1:4555");
  }, 60_000);
});
