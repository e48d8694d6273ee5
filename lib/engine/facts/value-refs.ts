// The names a value reads, for finding the checks made on it: `u.hostname` reads `u`, `new URL(url)` reads `url`,
// `path.resolve(root, p)` reads `root` and `p`; a fetched page does not read the URL it came from.
import type { Value } from "@/lib/core/facts";
import type { CodeFacts } from "./code";
import { carriesArguments, carriesReceiver } from "./taint";

// Methods that test the value they are called on (their result is read as the value, for the check around it).
const CHECK_METHOD = /\.(?:startsWith|startswith|endsWith|endswith|includes|is_relative_to|relative_to|match|test|hostname|host|netloc)$/;
// Repository helpers whose result is the value in another form, and ones whose result is something fetched with it.
const TRANSFORM_HELPER = /(?:resolve|normali[sz]e|join|parse|clean|sanitiz|expand|abs|real|canonical|safe|path|url|uri|host)/i;
const FETCH_HELPER = /(?:fetch|get|load|read|download|request|call|send|post|query|search|run|exec|open)/i;

/** Whether a value reads one of the names (or a member below one). */
export function touches(code: CodeFacts, v: Value, names: Set<string>): boolean {
  return refsOf(code, v).some((r) => carried(r, names) !== null);
}

/**
 * How a reference carries one of the names: "" when it is one of them or a member below one, the remaining path when
 * it is an object that holds one (`input` holds `input.url`); null when it carries none.
 */
export function carried(ref: string, names: Set<string>): string | null {
  for (const n of names) {
    if (ref === n || ref.startsWith(`${n}.`)) return "";
    if (n.startsWith(`${ref}.`)) return n.slice(ref.length + 1);
  }
  return null;
}

/** The member paths a value reads, through calls, templates and operators (bounded). */
export function refsOf(code: CodeFacts, v: Value, out: string[] = [], depth = 0): string[] {
  if (depth > 6 || out.length > 40) return out;
  switch (v.kind) {
    case "ref":
      out.push(v.path);
      break;
    case "member": {
      const inner = refsOf(code, v.object, [], depth + 1);
      out.push(...inner.map((r) => `${r}.${v.property}`));
      break;
    }
    case "call": {
      // Only through calls whose result is the value in another form: a fetched page is not the URL it came from.
      const call = code.calls[v.call];
      if (!call) break;
      if (call.receiver && (carriesReceiver(call) || CHECK_METHOD.test(call.callee))) refsOf(code, call.receiver, out, depth + 1);
      if (carriesArguments(call) || (call.target !== null && TRANSFORM_HELPER.test(call.callee) && !FETCH_HELPER.test(call.callee))) {
        for (const a of call.args) refsOf(code, a, out, depth + 1);
        for (const [, a] of call.kwargs) refsOf(code, a, out, depth + 1);
      }
      break;
    }
    case "template":
      for (const p of v.parts) refsOf(code, p, out, depth + 1);
      break;
    case "array":
      for (const i of v.items) refsOf(code, i, out, depth + 1);
      break;
    case "unknown":
      for (const p of v.parts) refsOf(code, p, out, depth + 1);
      break;
    case "object":
      for (const e of v.entries) refsOf(code, e.value, out, depth + 1);
      break;
    default:
      break;
  }
  return out;
}
