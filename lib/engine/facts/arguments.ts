// What a call hands to a helper's parameter, down to the part of it the helper uses: rules that follow helpers
// (a logging wrapper, a function that writes HTML) judge the argument at each call site, and only the member of it
// that the helper passes on (`audit(req)` where the helper logs `req.id` logs the id, not the request).
import type { CallFact, FunctionFact, Value } from "@/lib/core/facts";
import { argumentFor } from "./flow";

/** The argument `call` passes for parameter `index` of `helper`, or its member `path` ("" for all of it). */
export function argumentPart(call: CallFact, helper: FunctionFact, index: number, path: string): Value | undefined {
  const arg = argumentFor(call, helper, index);
  return arg && path ? memberOf(arg, path.split(".")) : arg;
}

/** `v.a.b`: an entry of an object literal, a longer name, or a member read of anything else. */
export function memberOf(v: Value, keys: readonly string[]): Value {
  if (v.kind === "object") {
    let cur: Value | undefined = v;
    for (const key of keys) cur = cur?.kind === "object" ? [...cur.entries].reverse().find((e) => e.key === key)?.value : undefined;
    return cur ?? { kind: "null", text: "" };
  }
  const path = keys.join(".");
  if (v.kind === "ref") return { kind: "ref", path: `${v.path}.${path}`, text: `${v.text}.${path}` };
  return keys.reduce<Value>((object, property) => ({ kind: "member", object, property, text: `${object.text}.${property}` }), v);
}

