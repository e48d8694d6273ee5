// Which database the app runs on is decided by DATABASE_URL alone: a Postgres URL, or the SQLite file.
import { afterEach, describe, expect, it, vi } from "vitest";
import { databaseDialect } from "@/db/config";

describe("databaseDialect", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each(["postgres://app@db.internal:5432/launch_review", "postgresql://app@db.internal/launch_review", "POSTGRES://app@db/x"])(
    "is postgres for %s",
    (url) => {
      vi.stubEnv("DATABASE_URL", url);
      expect(databaseDialect()).toBe("postgres");
    },
  );

  it.each(["", "mysql://app@db/x", "file:./data/launch-review.db", " postgres://leading-space", "./postgres://in-a-path"])(
    "is sqlite for DATABASE_URL=%j",
    (url) => {
      vi.stubEnv("DATABASE_URL", url);
      expect(databaseDialect()).toBe("sqlite");
    },
  );

  it("is sqlite when DATABASE_URL is not set", () => {
    vi.stubEnv("DATABASE_URL", undefined);
    expect(databaseDialect()).toBe("sqlite");
  });
});
