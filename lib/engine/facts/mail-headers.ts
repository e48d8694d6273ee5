// Mail headers written as text: `To: ${to}`, `Subject: ${subject}` joined with CRLF into a raw RFC 822 message (the
// Gmail API's `raw`, SMTP DATA). A value with a line break in it ends the header and starts another one (a hidden Bcc,
// another Content-Type), so each hole in such a header line is a sink for the data-flow tracer. Read from the values
// in the code facts: call arguments, bindings and returns; no syntax tree is read here.
import type { FnId, Value } from "@/lib/core/facts";
import type { CodeFacts } from "./code";
import type { DangerSink } from "./danger-sinks";

/** The start of a header line whose value a sender or the model may choose. */
const HEADER_START = /^(?:to|cc|bcc|from|subject|reply-to|in-reply-to|references|sender|return-path):[ \t]*$/i;
const MAX_DEPTH = 5;
const MAX_SINKS = 500;

export function mailHeaderSinks(code: CodeFacts, textOf: (path: string) => string | null): DangerSink[] {
  const out: DangerSink[] = [];
  const seen = new Set<string>();
  const add = (v: Extract<Value, { kind: "template" }>, fn: FnId, near: number) => {
    const head = v.parts[0];
    const hole = v.parts[1];
    if (head?.kind !== "string" || !hole || !HEADER_START.test(head.value) || isConstant(hole)) return;
    const path = code.fn(fn).path;
    const line = lineOf(textOf(path), v.text, near);
    const key = `${path}:${line}:${v.text}`;
    if (seen.has(key) || out.length >= MAX_SINKS) return;
    seen.add(key);
    const what = `the ${head.value.replace(/:.*$/, "")} header`;
    out.push({ kind: "mail-header", fn, path, line, call: null, what, parts: [{ role: "header", value: hole }] });
  };
  const visit = (v: Value, fn: FnId, near: number, depth = 0): void => {
    if (depth > MAX_DEPTH) return;
    if (v.kind === "template") add(v, fn, near);
    else if (v.kind === "array") for (const item of v.items) visit(item, fn, near, depth + 1);
    else if (v.kind === "unknown") for (const p of v.parts) visit(p, fn, near, depth + 1);
  };
  for (const f of code.functions) {
    for (const values of Object.values(f.bindings)) for (const v of values) visit(v, f.id, f.line);
    for (const r of f.returns) visit(r, f.id, f.line);
  }
  for (const c of code.calls) for (const a of c.args) visit(a, c.fn, c.line);
  return out;
}

function isConstant(v: Value): boolean {
  return v.kind === "string" || v.kind === "number" || v.kind === "boolean" || v.kind === "null";
}

/** The line at or after `from` where the template is written (its first 40 characters); `from` if not found. */
function lineOf(text: string | null, expression: string, from: number): number {
  if (!text) return from;
  const needle = expression.replace(/^`/, "").slice(0, 40);
  const lines = text.split("\n");
  for (let i = Math.max(0, from - 1); i < Math.min(lines.length, from + 400); i++) if (lines[i]!.includes(needle)) return i + 1;
  return from;
}
