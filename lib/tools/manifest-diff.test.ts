import { describe, expect, it } from "vitest";
import type { ReportTool } from "@/lib/core/report";
import { annotationsText, diffManifests, scopesText } from "./manifest-diff";

const tool = (name: string, over: Partial<ReportTool> = {}): ReportTool => ({
  name,
  title: null,
  description: `${name} does things.`,
  annotations: { readOnlyHint: true },
  securitySchemes: [{ type: "oauth2", scopes: ["a.read"] }],
  meta: null,
  location: { path: "s.ts", line: 1 },
  dynamic: [],
  ...over,
});

describe("tool manifest diff", () => {
  it("lists added, removed and changed tools, changes word by word", () => {
    const before = [tool("search"), tool("delete_note"), tool("share")];
    const after = [
      tool("search", { description: "search does things and more.", location: { path: "s.ts", line: 40 } }),
      tool("share", { annotations: { readOnlyHint: false, destructiveHint: true }, securitySchemes: [{ type: "noauth" }] }),
      tool("export"),
    ];
    const d = diffManifests(before, after);
    expect(d.unchanged).toBe(0);
    expect(d.changes.map((c) => [c.kind, c.name, c.fields.map((f) => f.field)])).toEqual([
      ["removed", "delete_note", []],
      ["added", "export", []],
      ["changed", "search", ["description"]],
      ["changed", "share", ["annotations", "scopes"]],
    ]);
    const search = d.changes.find((c) => c.name === "search")!.fields[0]!;
    expect(search.parts.filter((p) => p.added).map((p) => p.value.trim())).toEqual(["and more"]);
    expect(search.parts.filter((p) => p.removed)).toEqual([]);
  });

  it("ignores moved lines: an unchanged tool is unchanged", () => {
    expect(diffManifests([tool("a")], [tool("a", { location: { path: "t.ts", line: 99 } })])).toEqual({ changes: [], unchanged: 1 });
  });

  it("renders annotations and scopes as readable lines", () => {
    expect(annotationsText({ readOnlyHint: true, openWorldHint: false })).toBe("readOnlyHint: true, openWorldHint: false");
    expect(annotationsText(null)).toBe("(none)");
    expect(scopesText([{ type: "noauth" }, { type: "oauth2", scopes: ["notes.read", "notes.write"] }])).toBe(
      "noauth | oauth2 (notes.read notes.write)",
    );
    expect(scopesText(null)).toBe("(none declared)");
  });
});
