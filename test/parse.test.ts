import { describe, expect, it } from "vitest";
import { Facts } from "@/lib/engine/facts/container";
import { JsSources, jsFiles, lineOf, parseJs, ts, walk } from "@/lib/engine/parse/js";
import { parsePython, pythonFiles, walkPython } from "@/lib/engine/parse/python";
import { snapshotOf } from "./support/rules";

describe("JS/TS parsing", () => {
  it("parses TypeScript and reports node lines", () => {
    const r = parseJs("a.ts", "const a = 1;\nserver.registerTool('x', {}, async () => ({}));\n");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const calls: number[] = [];
    walk(r.sourceFile, (n) => {
      if (ts.isCallExpression(n)) calls.push(lineOf(n));
    });
    expect(calls).toEqual([2]);
  });

  it("reports hostile files as unparseable instead of throwing", () => {
    expect(parseJs("big.js", "x".repeat(3 * 1024 * 1024))).toMatchObject({ ok: false, reason: expect.stringMatching(/larger than/) });
    expect(parseJs("min.js", `var a=${"1+".repeat(10_000)}1;`.repeat(2))).toMatchObject({ ok: false, reason: "minified" });
    const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`.replace(/(.{200})/g, "$1\n");
    const r = parseJs("deep.ts", deep);
    // Either outcome is fine as long as it doesn't throw, and walking a parsed tree doesn't overflow.
    if (r.ok) walk(r.sourceFile, () => undefined);
    expect(typeof r.ok).toBe("boolean");
    expect(parseJs("broken.ts", 'const s = "unterminated\nfunction (').ok).toBe(true);
  });

  it("parses each file once per scan, skipping .d.ts and minified names", () => {
    const facts = new Facts(snapshotOf({ "a.ts": "export {}", "b.d.ts": "declare const x: 1;", "c.min.js": "x", "d.py": "x = 1" }));
    const first = jsFiles(facts);
    expect(first.paths()).toEqual(["a.ts"]);
    expect(jsFiles(facts)).toBe(first);
  });
});

describe("JS sources without their syntax trees", () => {
  it("parses a let-go file again when asked, once, and keeps its text and imports meanwhile", () => {
    const sources = new JsSources();
    const text = 'import { DESCRIPTION } from "./text";\nexport const x = require("./other");\n';
    sources.add(parseJs("a.ts", text), false);
    sources.add(parseJs("b.ts", "export {};"), true);
    sources.add(parseJs("big.js", "x".repeat(3 * 1024 * 1024)));
    expect(sources.paths()).toEqual(["a.ts", "b.ts"]);
    expect(sources.has("a.ts") && !sources.has("big.js")).toBe(true);
    expect(sources.unparseable.map((u) => u.path)).toEqual(["big.js"]);
    expect(sources.text("a.ts")).toBe(text);
    expect(sources.importsOf("a.ts")).toEqual(["./text", "./other"]);
    const again = sources.get("a.ts");
    expect(again?.sourceFile.statements).toHaveLength(2);
    // Asked twice, the same tree: nodes found through one lookup are the nodes of the next.
    expect(sources.get("a.ts")).toBe(again);
    expect(sources.get("missing.ts")).toBeUndefined();
  });

  it("reads a tool whose description lives in a module the scan let go of", async () => {
    const facts = new Facts(
      snapshotOf({
        "src/text.ts": 'export const DESCRIPTION = "Lists the invoices of the signed-in account.";\n',
        "src/server.ts":
          'import { DESCRIPTION } from "./text";\nserver.registerTool("list_invoices", { description: DESCRIPTION }, async () => ({ content: [] }));\n',
      }),
    );
    await facts.prepare();
    expect(facts.tools.tools.map((t) => [t.name, t.description])).toEqual([
      ["list_invoices", "Lists the invoices of the signed-in account."],
    ]);
  });
});

describe("Python parsing", () => {
  it("parses decorators and docstrings", async () => {
    const r = await parsePython("s.py", '@mcp.tool()\ndef hello(name: str) -> str:\n    """Say hello."""\n    return name\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const kinds: string[] = [];
    walkPython(r.tree.rootNode, (n) => {
      if (n.type === "decorator" || n.type === "function_definition") kinds.push(n.type);
    });
    expect(kinds).toEqual(["decorator", "function_definition"]);
    r.tree.delete();
  });

  it("never throws on broken or deeply nested input", async () => {
    expect((await parsePython("b.py", 'def f(:\n  x = "unterminated')).ok).toBe(true);
    const deep = await parsePython("d.py", `x = ${"(".repeat(10_000)}1${")".repeat(10_000)}`);
    expect(typeof deep.ok).toBe("boolean");
    if (deep.ok) deep.tree.delete();
  });

  it("frees trees when the scan's facts are disposed", async () => {
    const facts = new Facts(snapshotOf({ "a.py": "x = 1" }));
    const files = await pythonFiles(facts);
    expect(files.get("a.py")?.ok).toBe(true);
    facts.dispose();
    const r = files.get("a.py")!;
    expect(() => (r.ok ? r.tree.rootNode.type : null)).toThrow();
  });
});
