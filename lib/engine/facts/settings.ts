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

/** Where each setting is written: an object's entry, a call's keyword argument, or an assignment. */
const OBJECT_ENTRY = 0;
const KEYWORD = 1;
const ASSIGNMENT = 2;

/**
 * Every setting's key, with where it is written, so a rule asking for a few keys builds only those settings: a large
 * repository has tens of thousands of object entries and a few hundred distinct keys. Places are kept as number
 * triples (kind, item, part) in code order, the order `where` returns.
 */
export class SettingIndex {
  readonly #code: CodeFacts;
  readonly #byKey = new Map<string, number[]>();
  #callOfObject: Map<Value, CallFact> | null = null;

  constructor(code: CodeFacts) {
    this.#code = code;
    const add = (key: string, kind: number, item: number, part: number) => {
      const list = this.#byKey.get(key);
      if (list) list.push(kind, item, part);
      else this.#byKey.set(key, [kind, item, part]);
    };
    for (const [i, { value }] of code.objects.entries()) {
      for (const [j, e] of value.entries.entries()) if (e.key !== null) add(e.key, OBJECT_ENTRY, i, j);
    }
    for (const [i, call] of code.calls.entries()) for (const [j, [key]] of call.kwargs.entries()) add(key, KEYWORD, i, j);
    for (const [i, a] of code.assignments.entries()) add(a.target.slice(a.target.lastIndexOf(".") + 1), ASSIGNMENT, i, 0);
  }

  /** The settings whose key `may` accepts, in code order; `may` is asked once per distinct key. */
  where(may: (key: string) => boolean): SettingFact[] {
    const places: Array<[number, number, number]> = [];
    for (const [key, list] of this.#byKey) {
      if (!may(key)) continue;
      for (let k = 0; k < list.length; k += 3) places.push([list[k]!, list[k + 1]!, list[k + 2]!]);
    }
    places.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    return places.map(([kind, item, part]) => this.#setting(kind, item, part));
  }

  #setting(kind: number, item: number, part: number): SettingFact {
    const code = this.#code;
    if (kind === OBJECT_ENTRY) {
      const { fn, path, value } = code.objects[item]!;
      const e = value.entries[part]!;
      return { path, line: e.line, fn, key: e.key!, value: e.value, call: this.#callOf(value), object: value, target: null };
    }
    if (kind === KEYWORD) {
      const call = code.calls[item]!;
      const [key, value] = call.kwargs[part]!;
      return { path: call.path, line: call.line, fn: call.fn, key, value, call, object: null, target: null };
    }
    const a = code.assignments[item]!;
    const key = a.target.slice(a.target.lastIndexOf(".") + 1);
    return { path: a.path, line: a.line, fn: a.fn, key, value: a.value, call: null, object: null, target: a.target };
  }

  /** The call an options object is given to, if any. */
  #callOf(value: Value): CallFact | null {
    if (!this.#callOfObject) {
      this.#callOfObject = new Map();
      for (const call of this.#code.calls) for (const a of call.args) if (a.kind === "object") this.#callOfObject.set(a, call);
    }
    return this.#callOfObject.get(value) ?? null;
  }
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
