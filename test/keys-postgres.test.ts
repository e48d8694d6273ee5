// On Postgres, web and worker processes may run on different machines, so the master key must come from
// LAUNCH_REVIEW_SECRET, never from a key file each machine would make for itself.
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvForTests } from "@/lib/env";
import { masterKey, resetKeyCache } from "@/lib/keys";

describe("the master key on Postgres", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    resetEnvForTests();
    resetKeyCache();
  });

  it("is refused from a key file, with what to set", () => {
    vi.stubEnv("DATABASE_URL", "postgres://db.example/launch_review");
    delete process.env.LAUNCH_REVIEW_SECRET;
    resetEnvForTests();
    resetKeyCache();
    expect(() => masterKey()).toThrow(/set LAUNCH_REVIEW_SECRET/);
  });

  it("comes from LAUNCH_REVIEW_SECRET", () => {
    vi.stubEnv("DATABASE_URL", "postgres://db.example/launch_review");
    vi.stubEnv("LAUNCH_REVIEW_SECRET", "a-long-shared-secret-for-every-process-0123");
    resetEnvForTests();
    resetKeyCache();
    expect(masterKey()).toHaveLength(32);
  });
});
