// Hostile and malformed sources: the tool parsers never throw, never hang, and say which files they could not read.
import { describe, expect, it } from "vitest";
import { toolAnnotationsCheck } from "@/checks/tool-annotations";
import { manifestOf } from "./support/connectors";
import { contextOf } from "./support/rules";

const OK_TOOL =
  'server.registerTool("ok_tool", { description: "Fine.", annotations: { readOnlyHint: true } }, async () => ({ content: [] }));\n';

describe("tool parsers on malformed and adversarial source", () => {
  it("reads the good file and reports a 5 MB file that mentions tools as unparseable", async () => {
    const big = `server.registerTool("hidden", { description: "x" }, h);\n${"// padding line for a very large generated file\n".repeat(110_000)}`;
    expect(big.length).toBeGreaterThan(5 * 1024 * 1024);
    const started = performance.now();
    const m = await manifestOf({
      "src/ok.ts": OK_TOOL,
      "src/huge.ts": big,
      "src/huge.py": `@mcp.tool()\ndef x(): pass\n${"# pad\n".repeat(900_000)}`,
    });
    expect(m.tools.map((t) => t.name)).toEqual(["ok_tool"]);
    expect(m.unparseable).toEqual([
      { path: "src/huge.ts", reason: "larger than 2 MB" },
      { path: "src/huge.py", reason: "larger than 2 MB" },
    ]);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it("survives 10,000-deep nesting around and inside a registration", async () => {
    const deepArgs = `server.registerTool("deep", { description: ${"(".repeat(10_000)}"d"${")".repeat(10_000)} }, h);\n`;
    const deepArray = `export const x = ${"[".repeat(10_000)}${"]".repeat(10_000)};\n`.replace(/(.{200})/g, "$1\n");
    const deepPy = `x = ${"(".repeat(10_000)}1${")".repeat(10_000)}\n@mcp.tool()\ndef y(a: int) -> int:\n    """Y."""\n    return a\n`;
    const m = await manifestOf({ "src/ok.ts": OK_TOOL, "src/deep.ts": deepArgs, "src/array.ts": deepArray, "deep.py": deepPy });
    expect(m.tools.map((t) => t.name)).toContain("ok_tool");
    const deep = m.tools.find((t) => t.name === "deep");
    // Either read with the description marked dynamic (too deep to evaluate) or reported unparseable: never a throw.
    if (deep) expect(deep.description === "d" || deep.dynamic.includes("description")).toBe(true);
    else expect(m.unparseable.map((u) => u.path)).toContain("src/deep.ts");
  });

  it("survives unterminated strings and broken syntax", async () => {
    const m = await manifestOf({
      "src/ok.ts": OK_TOOL,
      "src/broken.ts": 'server.registerTool("broken", { description: "never closed\n, annotations: { readOnlyHint: true ',
      "src/garbage.ts": "}{)(][ registerTool ((( ,,, => => <IMPORTANT>",
      "bad.py": '@mcp.tool(annotations={"readOnlyHint": True\ndef f(:\n    """unterminated\n',
    });
    expect(m.tools.map((t) => t.name)).toContain("ok_tool");
  });

  it("bounds self-reference, recursion and exponential helpers in the evaluator", async () => {
    const src = [
      "const a = b;",
      "const b = a;",
      "function loop(x: string): string { return loop(x); }",
      "const s0 = 'ab';",
      ...Array.from({ length: 40 }, (_, i) => `const s${i + 1} = s${i} + s${i};`),
      `server.registerTool("cyclic", { description: a, title: loop("t") }, h);`,
      `server.registerTool("huge", { description: s40 }, h);`,
    ].join("\n");
    const started = performance.now();
    const m = await manifestOf({ "src/evil.ts": src });
    expect(performance.now() - started).toBeLessThan(10_000);
    const byName = Object.fromEntries(m.tools.map((t) => [t.name, t]));
    expect(byName.cyclic!.dynamic).toEqual(expect.arrayContaining(["description", "title"]));
    expect(byName.huge!.description).toBeNull();
    expect(byName.huge!.dynamic).toEqual(["description"]);
  });

  it("gives each declaration its own evaluation budget: an exponential helper doesn't blind the next tool", async () => {
    const evil = 'function f(n: number): string { return f(n) + f(n); }\nserver.registerTool("evil", { description: f(1) }, h);\n';
    const good = 'const D = "Lists " + "things.";\nserver.registerTool("good", { description: D }, h);\n';
    const started = performance.now();
    const m = await manifestOf({
      "src/a-evil.ts": evil + good.replace("const D", "const E").replace(": D", ": E").replace('"good"', '"good_too"'),
      "src/b-good.ts": good,
    });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(m.tools.find((t) => t.name === "evil")!.dynamic).toEqual(["description"]);
    expect(m.tools.find((t) => t.name === "good")!.description).toBe("Lists things.");
    expect(m.tools.find((t) => t.name === "good_too")!.description).toBe("Lists things.");
  });

  it("turns an unparseable file into an info finding, not a crash", async () => {
    const outcome = await toolAnnotationsCheck.run(
      await contextOf({ "src/ok.ts": OK_TOOL, "public/bundle.js": `registerTool("x",{});${"var a=1;".repeat(5000)}` }),
    );
    expect(outcome.status).toBe("ok");
    expect(outcome.findings).toEqual([
      expect.objectContaining({ ruleId: "tool-annotations/unparseable-source", severity: "info", location: { path: "public/bundle.js" } }),
    ]);
  });
});

describe("the Python statement follower on hostile source", () => {
  it("bounds doubling strings, nested loops, recursion and mutual recursion, and still reads the next tool", async () => {
    const evil = [
      "from mcp import types",
      "ITEMS = [" + Array.from({ length: 400 }, (_, i) => `"n${i}"`).join(", ") + "]",
      "def f(n):",
      "    return f(n) + f(n)",
      "def g(n):",
      "    return h(n)",
      "def h(n):",
      "    return g(n)",
      "@server.list_tools()",
      "async def list_tools():",
      "    s = 'ab'",
      "    out = []",
      "    for a in ITEMS:",
      "        s = s + s",
      "        for b in ITEMS:",
      "            for c in ITEMS:",
      "                out.append(a)",
      "    return [types.Tool(name=f(1), description=s, inputSchema={}), types.Tool(name=g(1), inputSchema={})]",
      "",
      "@server.list_tools()",
      "async def more_tools():",
      "    return [types.Tool(name='still_read', description='Read after the hostile one.', inputSchema={})]",
      "",
    ].join("\n");
    const started = performance.now();
    const m = await manifestOf({ "server.py": evil });
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(m.tools.find((t) => t.name === "still_read")?.description).toBe("Read after the hostile one.");
    // Names that can't be known stay dynamic markers, never invented.
    expect(m.tools.filter((t) => t.name !== "still_read").every((t) => t.dynamic.includes("name"))).toBe(true);
  });
});

describe("the TypeScript readers on hostile module-level code and helpers", () => {
  it("bounds nested loops filling a list, self-calling helpers and helper chains, and still reads the next tool", async () => {
    const big = `[\n${Array.from({ length: 1500 }, (_, i) => `  "t${i}",`).join("\n")}\n]`;
    const src = [
      `const BIG = ${big};`,
      "const LIST: string[] = [];",
      "for (const a of BIG) { for (const b of BIG) { LIST.push(a + b); } }",
      "function reg(server: any, d: any) { server.registerTool(d.name, { description: LIST.join(',') }, h); reg(server, d); }",
      "function a1(s: any, d: any) { reg(s, d); a1(s, d); }",
      "BIG.forEach((n) => a1(server, { name: n }));",
      'server.registerTool("still_read", { description: "Read after the hostile ones." }, h);',
    ].join("\n");
    const started = performance.now();
    const m = await manifestOf({ "src/evil.ts": src });
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(m.tools.find((t) => t.name === "still_read")?.description).toBe("Read after the hostile ones.");
    expect(m.tools.length).toBeLessThanOrEqual(502);
  });
});

describe("class-based tools on hostile code", () => {
  it("bounds inheritance cycles and thousands of subclasses", async () => {
    const subclasses = Array.from({ length: 1200 }, (_, i) => `class T${i} extends Base {\n  name = "t${i}";\n}`).join("\n");
    const src = [
      "abstract class Base {",
      "  abstract name: string;",
      "  register(server: any) {",
      "    server.registerTool(this.name, { description: 'x' }, h);",
      "  }",
      "}",
      "class A extends B {}",
      "class B extends A {}",
      subclasses,
      'server.registerTool("still_read", { description: "Read after the hostile ones." }, h);',
    ].join("\n");
    const started = performance.now();
    const m = await manifestOf({ "src/evil.ts": src });
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(m.tools.find((t) => t.name === "still_read")).toBeDefined();
    expect(m.tools.length).toBeLessThanOrEqual(502);
  });
});
