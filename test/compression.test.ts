// The app leaves gzip to the reverse proxy in front of it unless LAUNCH_REVIEW_COMPRESS=1 (README, "Compression"):
// Next's gzip runs on Node's thread pool, and while a scan runs its jobs wait for a core, so pages slow down.
import { afterEach, describe, expect, it, vi } from "vitest";
import { env, resetEnvForTests } from "@/lib/env";

async function nextConfigWith(value: string | undefined) {
  vi.stubEnv("LAUNCH_REVIEW_COMPRESS", value);
  vi.resetModules();
  return (await import("../next.config")).default;
}

afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvForTests();
});

describe("compression", () => {
  it("is off unless LAUNCH_REVIEW_COMPRESS is 1", async () => {
    expect((await nextConfigWith(undefined)).compress).toBe(false);
    expect((await nextConfigWith("0")).compress).toBe(false);
    expect((await nextConfigWith("1")).compress).toBe(true);
  });

  it("refuses any other value when the app starts, naming the variable", () => {
    vi.stubEnv("LAUNCH_REVIEW_COMPRESS", "yes");
    resetEnvForTests();
    expect(() => env()).toThrow(/LAUNCH_REVIEW_COMPRESS/);
    vi.stubEnv("LAUNCH_REVIEW_COMPRESS", "1");
    resetEnvForTests();
    expect(env().LAUNCH_REVIEW_COMPRESS).toBe("1");
  });
});
