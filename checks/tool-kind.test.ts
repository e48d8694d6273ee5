import { describe, expect, it } from "vitest";
import { noEffects } from "@/lib/engine/parse/tools/effects";
import type { ToolDecl } from "@/lib/engine/parse/tools/types";
import { classifyTool, nameTokens } from "./tool-kind";

function decl(name: string, description: string | null = null, effects: Partial<ToolDecl["effects"]> | null = null): ToolDecl {
  return {
    name,
    title: null,
    description,
    annotations: null,
    securitySchemes: null,
    meta: null,
    inputSchema: { kind: "none", fields: [], open: false },
    location: { path: "s.ts", line: 1 },
    dynamic: [],
    style: "registerTool",
    loop: null,
    effects: effects ? { ...noEffects(), ...effects } : null,
    handler: null,
  };
}

const kind = (t: ToolDecl) => {
  const k = classifyTool(t);
  return k.destructive ? "destructive" : k.write ? "write" : k.readLike ? "read" : "unknown";
};

describe("tool kind", () => {
  it("splits names in every case style", () => {
    expect(nameTokens("deleteNote")).toEqual(["delete", "note"]);
    expect(nameTokens("notes.delete-all")).toEqual(["notes", "delete", "all"]);
    expect(nameTokens("HTTPRequest_send")).toEqual(["httprequest", "send"]);
  });

  it.each([
    ["get_post", "read"],
    ["list_orders", "read"],
    ["get_commit", "read"],
    ["kubectl_get_pods", "read"],
    ["search_notes", "read"],
    ["delete_note", "destructive"],
    ["notes_delete", "destructive"],
    ["shopify_cancel_order", "destructive"],
    ["search_and_delete", "destructive"],
    ["create_issue", "write"],
    ["slack_post_message", "write"],
    ["import_from_url", "write"],
    ["run_query", "read"],
    ["run_migration", "unknown"],
    ["weather", "unknown"],
  ])("%s is %s", (name, expected) => {
    expect(kind(decl(name))).toBe(expected);
  });

  it("reads the description's verb when the name has none", () => {
    expect(kind(decl("notes", "Deletes a note by id."))).toBe("destructive");
    expect(kind(decl("notes", "Creates a note."))).toBe("write");
    expect(kind(decl("notes", "Lists notes."))).toBe("read");
  });

  it("uses the handler's code unless the name says it reads", () => {
    expect(kind(decl("profile", null, { httpWrites: ["PUT"] }))).toBe("write");
    expect(kind(decl("cleanup", null, { deletes: true }))).toBe("destructive");
    expect(kind(decl("search_documents", null, { httpWrites: ["POST"] }))).toBe("read");
  });

  it("sees open-world tools by name and by URLs taken from input", () => {
    expect(classifyTool(decl("fetch_url")).openWorld).toBe(true);
    expect(
      classifyTool(
        decl("fetch_page", null, { outbound: true, sinks: [{ kind: "url", field: "url", excerpt: "fetch(url)", originFromInput: true }] }),
      ).openWorld,
    ).toBe(true);
    expect(
      classifyTool(
        decl("search_notes", null, {
          outbound: true,
          sinks: [{ kind: "url", field: "q", excerpt: "fetch(`${API}?q=${q}`)", originFromInput: false }],
        }),
      ).openWorld,
    ).toBe(false);
  });
});
