// Fail closed: when the code can't be read, the code checks say "unavailable" instead of passing.
import { describe, expect, it } from "vitest";
import { CHECKS } from "@/checks";
import { Facts } from "@/lib/engine/facts/container";
import { contextOf, snapshotOf } from "./support/rules";

const garbage = "function ( { [ ".repeat(200) + "\n" + ") } ] =>".repeat(200);

async function run(checkId: string, files: Record<string, string>) {
  return CHECKS.find((c) => c.id === checkId)!.run(await contextOf(files));
}

describe("code coverage", () => {
  it("is fine when some files are bundles or broken, as long as source was read", async () => {
    const facts = await new Facts(snapshotOf({ "src/a.ts": "export const a = 1;", "src/broken.ts": garbage, "dist2/app.min.js": "x" })).prepare();
    expect(facts.coverageProblem).toBeNull();
  });

  it("makes the code checks unavailable when no source file could be parsed", async () => {
    const files = { "src/index.ts": garbage };
    for (const id of [
      "logging",
      "network-tls",
      "token-verification",
      "oauth-metadata",
      "widget-apis",
      "widget-data",
      "transport",
      "network-timeouts",
      "structured-content",
    ]) {
      const outcome = await run(id, files);
      expect(outcome.status, id).toBe("unavailable");
      expect(outcome.error).toMatch(/none of the 1 source files could be parsed/);
    }
  });
});
