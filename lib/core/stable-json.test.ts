import { describe, expect, it } from "vitest";
import { stableJson } from "./stable-json";

describe("stableJson", () => {
  it("is the same whatever the property order, at every depth", () => {
    expect(stableJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: "x" } })).toBe(stableJson({ a: { c: "x", d: [2, { e: 0, f: 1 }] }, b: 1 }));
  });

  // The exact text is a contract: stored audit-chain and sign-off hashes were computed over it.
  it("writes keys in code-unit order, undefined as null and dates as ISO strings", () => {
    expect(stableJson({ b: undefined, B: [1, null, "é"], _: new Date("2026-11-29T01:02:03.004Z"), a: { y: true, x: 1.5 } })).toBe(
      '{"B":[1,null,"é"],"_":"2026-11-29T01:02:03.004Z","a":{"x":1.5,"y":true},"b":null}',
    );
  });
});
