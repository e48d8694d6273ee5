// Settings written in code, read the same way in both languages: an entry of an object literal or dictionary
// (`{ rejectUnauthorized: false }`), a keyword argument (`verify=False`), or a member assignment
// (`ctx.check_hostname = False`). Rules about configuration read these and never care which syntax set them.
import type { CallFact, FnId, Value } from "@/lib/core/facts";
import type { CodeFacts } from "./code";

export interface SettingFact {
  path: string;
  line: number;
  fn: FnId;
  key: string;
  value: Value;
  /** The call the setting is given to (an options object or a keyword argument), if any. */
  call: CallFact | null;
  /** The object literal it is an entry of, if any. */
  object: Extract<Value, { kind: "object" }> | null;
  /** For assignments: the member written (`process.env.NODE_TLS_REJECT_UNAUTHORIZED`). */
  target: string | null;
}

export function findSettings(code: CodeFacts): SettingFact[] {
  const out: SettingFact[] = [];
  const callOfObject = new Map<Value, CallFact>();
  for (const call of code.calls) for (const a of call.args) if (a.kind === "object") callOfObject.set(a, call);
  for (const { fn, path, value } of code.objects) {
    const call = callOfObject.get(value) ?? null;
    for (const e of value.entries) if (e.key !== null) out.push({ path, line: e.line, fn, key: e.key, value: e.value, call, object: value, target: null });
  }
  for (const call of code.calls) {
    for (const [key, value] of call.kwargs) out.push({ path: call.path, line: call.line, fn: call.fn, key, value, call, object: null, target: null });
  }
  for (const a of code.assignments) {
    const key = a.target.slice(a.target.lastIndexOf(".") + 1);
    out.push({ path: a.path, line: a.line, fn: a.fn, key, value: a.value, call: null, object: null, target: a.target });
  }
  return out;
}

/** `false`, `0`, `"0"`, `"false"`, `None`: a switch turned off. */
export function isOff(v: Value): boolean {
  if (v.kind === "boolean") return !v.value;
  if (v.kind === "number") return v.value === 0;
  if (v.kind === "string") return v.value === "0" || v.value.toLowerCase() === "false";
  return false;
}

export function isOn(v: Value): boolean {
  if (v.kind === "boolean") return v.value;
  if (v.kind === "string") return v.value === "1" || v.value.toLowerCase() === "true";
  if (v.kind === "number") return v.value === 1;
  return false;
}
