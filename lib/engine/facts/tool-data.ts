// What tools hand back, and what low-level dispatchers receive, in both languages: the values that become a tool's
// structured output or `_meta` (an object entry or dictionary key, a keyword argument, or the return value of a
// function whose return value is its structured result), and the parameter that holds the arguments of every tool
// call in a low-level `@server.call_tool()` dispatcher. The data-handling checks (structured content, widget data,
// logging) read these instead of each finding them again.
import type { CallFact, FnId, FunctionFact, Value } from "@/lib/core/facts";
import type { CodeFacts } from "./code";

export type ToolOutputField = "structuredContent" | "_meta" | "result" | "content";

export interface ToolOutput {
  /** What the value becomes: the structured content, the `_meta`, or the whole result of a tool function. */
  field: ToolOutputField;
  /** As written: `structuredContent`, `structured_content`, `_meta`, `meta`, or the tool function's name. */
  written: string;
  value: Value;
  /** The function the value is written in. */
  fn: FnId;
  path: string;
  line: number;
  /** An object entry or dictionary key, a keyword argument, or a tool function's return value. */
  via: "entry" | "kwarg" | "return";
  /** For keyword arguments: the call they are given to. */
  call: CallFact | null;
  /** For return values: the tool function. */
  tool: FunctionFact | null;
}

// Keys of result objects, as both languages write them.
const ENTRY_FIELDS: Record<string, ToolOutputField> = { structuredContent: "structuredContent", _meta: "_meta" };
const KWARG_FIELDS: Record<string, ToolOutputField> = { structuredContent: "structuredContent", structured_content: "structuredContent" };
// `meta=` is too common a keyword to mean anything by itself; on a result constructor it is the result's _meta.
const RESULT_KWARG_FIELDS: Record<string, ToolOutputField> = { ...KWARG_FIELDS, _meta: "_meta", meta: "_meta" };
const RESULT_CONSTRUCTOR = /(?:^|\.)(?:CallToolResult|ToolResult)$/;
// A function registered by a `tool` decorator (FastMCP `@mcp.tool()`, `@server.tool()`): what it returns is the
// tool's structured result. (Handlers passed to `registerTool` return a result object, whose entries are read above.)
const TOOL_DECORATOR = /(?:^|\.)tool$/;
const LOW_LEVEL_DISPATCH = /(?:^|\.)call_tool$/;

/** Every value that becomes a tool's structured output or `_meta`. `textOf` gives a file's text, to place return values. */
export function findToolOutputs(code: CodeFacts, textOf: (path: string) => string | null): ToolOutput[] {
  const out: ToolOutput[] = [];
  for (const { fn, path, value } of code.objects) {
    for (const e of value.entries) {
      const field = e.key === null ? undefined : ENTRY_FIELDS[e.key];
      if (field) out.push({ field, written: e.key!, value: e.value, fn, path, line: e.line, via: "entry", call: null, tool: null });
      // `content: [{ type: "text", text: … }]`: the text the model reads.
      if (e.key === "content" && e.value.kind === "array" && e.value.items.some(isTextItem))
        out.push({ field: "content", written: "content", value: e.value, fn, path, line: e.line, via: "entry", call: null, tool: null });
    }
  }
  for (const call of code.calls) {
    // Everything below is read from keyword arguments (Python); most calls have none.
    if (call.kwargs.length === 0) continue;
    // Python: `types.TextContent(type="text", text=…)`.
    if (TEXT_CONTENT.test(call.resolved || call.callee)) {
      const text = call.kwargs.find(([k]) => k === "text")?.[1];
      if (text) out.push({ field: "content", written: "TextContent", value: text, fn: call.fn, path: call.path, line: call.line, via: "kwarg", call, tool: null });
    }
    const fields = RESULT_CONSTRUCTOR.test(call.resolved || call.callee) ? RESULT_KWARG_FIELDS : KWARG_FIELDS;
    for (const [key, value] of call.kwargs) {
      const field = fields[key];
      // A keyword argument has no line of its own; its value may (`structured_content={…}` on a later line).
      const line = value.kind === "object" ? value.line : (code.callOf(value)?.line ?? call.line);
      if (field) out.push({ field, written: key, value, fn: call.fn, path: call.path, line, via: "kwarg", call, tool: null });
    }
  }
  for (const tool of toolFunctions(code)) {
    for (const value of tool.returns) {
      const line = valueLine(code, value, tool, textOf);
      out.push({ field: "result", written: tool.name ?? "(anonymous)", value, fn: tool.id, path: tool.path, line, via: "return", call: null, tool });
    }
  }
  return out;
}

const TEXT_CONTENT = /(?:^|\.)TextContent$/;

function isTextItem(v: Value): boolean {
  return v.kind === "object" && v.entries.some((e) => e.key === "type" && e.value.kind === "string" && e.value.value === "text");
}

/** Functions registered by a `tool` decorator. */
export function toolFunctions(code: CodeFacts): FunctionFact[] {
  return code.functions.filter((f) => f.decorators.some((d) => TOOL_DECORATOR.test(code.calls[d]?.callee ?? "")));
}

/**
 * The parameter holding a tool call's arguments in low-level dispatchers (`@server.call_tool()` functions taking
 * `(name, arguments)`), by function. The JavaScript equivalent, `request.params.arguments`, is known to the data flow.
 */
export function toolArgumentParams(code: CodeFacts): Map<FnId, number> {
  const out = new Map<FnId, number>();
  for (const f of code.functions) {
    if (!f.decorators.some((d) => LOW_LEVEL_DISPATCH.test(code.calls[d]?.callee ?? ""))) continue;
    const first = f.receiverParam ? 1 : 0;
    if (f.params.length >= first + 2) out.set(f.id, first + 1);
  }
  return out;
}

/**
 * The line a returned value is on. Calls and objects know their line; for other values (a returned name) the
 * function's text is searched for `return <value>`, and the function's first line is the fallback.
 */
function valueLine(code: CodeFacts, value: Value, fn: FunctionFact, textOf: (path: string) => string | null): number {
  const call = code.callOf(value);
  if (call) return call.line;
  if (value.kind === "object") return value.line;
  const text = textOf(fn.path);
  const wanted = value.text.trim();
  if (text !== null && wanted) {
    const lines = text.split("\n", fn.endLine).slice(fn.line - 1, fn.endLine);
    const at = lines.findIndex((l) => l.trimStart().startsWith(`return ${wanted}`));
    if (at !== -1) return fn.line + at;
  }
  return fn.line;
}
