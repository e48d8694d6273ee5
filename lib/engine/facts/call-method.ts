// The method a call names, even when what it is called on has no name.
import type { CallFact } from "@/lib/core/facts";

/**
 * The callee's last segment, or, for a receiver that is no name (`[...a].some(…)`, `(p / "x").read_text()`, whose
 * callee is empty), the name read from the call's text after the receiver's.
 */
export function methodOf(call: CallFact): string {
  if (call.callee) return call.callee.slice(call.callee.lastIndexOf(".") + 1);
  const text = call.text.startsWith("(") ? call.text.slice(1) : call.text;
  const after = call.receiver && text.startsWith(call.receiver.text) ? text.slice(call.receiver.text.length) : "";
  return /^\)?\s*\??\.\s*([\w$]+)/.exec(after)?.[1] ?? "";
}
