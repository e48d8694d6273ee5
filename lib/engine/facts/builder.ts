// Accumulates facts from every file of a scan, handing out ids, and builds values with bounded text and size.
import type { CallFact, CodeFactsData, FunctionFact, Value } from "@/lib/core/facts";

/** Longest `text` kept on a value: enough to show, never a whole file. */
export const MAX_VALUE_TEXT = 200;
/** Values nest at most this deep; deeper parts become "unknown" (hostile or generated code). */
export const MAX_VALUE_DEPTH = 12;
/** Items, entries and template parts kept per value. */
export const MAX_VALUE_ITEMS = 300;
/** Characters of words kept per function. */
export const MAX_WORDS = 16_000;

export class FactsBuilder {
  readonly data: CodeFactsData = {
    files: [],
    functions: [],
    calls: [],
    assignments: [],
    comparisons: [],
    accesses: [],
    imports: [],
    classes: [],
    jsxAttributes: [],
    objects: [],
  };
  readonly #words = new Map<number, string[]>();
  readonly #wordLength = new Map<number, number>();

  newFunction(f: Omit<FunctionFact, "id" | "bindings" | "returns" | "calls" | "decorators" | "shape" | "words">): FunctionFact {
    const fact: FunctionFact = {
      ...f,
      id: this.data.functions.length,
      bindings: Object.create(null) as Record<string, Value[]>,
      returns: [],
      calls: [],
      decorators: [],
      shape: { branches: 0, throws: 0, awaits: 0, comparisons: 0, statements: 0 },
      words: "",
    };
    this.data.functions.push(fact);
    return fact;
  }

  /** `c` becomes the fact itself (callers pass a fresh literal): no copy of the hundreds of thousands a large scan makes. */
  newCall(c: Omit<CallFact, "id">): CallFact {
    const call = c as CallFact;
    call.id = this.data.calls.length;
    this.data.calls.push(call);
    this.data.functions[c.fn]?.calls.push(call.id);
    return call;
  }

  bind(fn: FunctionFact, name: string, value: Value): void {
    if (name === "" || name.length > 200) return;
    const list = (fn.bindings[name] ??= []);
    if (list.length < 50) list.push(value);
  }

  /** Adds a word to a function and its enclosing functions (not the module: its words would be the whole file). */
  word(fn: FunctionFact, word: string): void {
    if (word.length === 0 || word.length > 300) return;
    let f: FunctionFact | undefined = fn;
    for (let hops = 0; f && !f.isModule && hops < 20; hops++) {
      const used = this.#wordLength.get(f.id) ?? 0;
      if (used < MAX_WORDS) {
        let list = this.#words.get(f.id);
        if (!list) this.#words.set(f.id, (list = []));
        list.push(word);
        this.#wordLength.set(f.id, used + word.length + 1);
      }
      f = f.parent === null ? undefined : this.data.functions[f.parent];
    }
  }

  /** Joins each function's words once, after extraction. */
  finish(): CodeFactsData {
    for (const [id, list] of this.#words) {
      const fn = this.data.functions[id];
      if (fn) fn.words = list.join(" ").toLowerCase().slice(0, MAX_WORDS);
    }
    this.#words.clear();
    return this.data;
  }
}

export function clip(text: string): string {
  return text.length > MAX_VALUE_TEXT ? `${text.slice(0, MAX_VALUE_TEXT - 1)}…` : text;
}

export const unknownValue = (text: string, op = "other", parts: Value[] = []): Value => ({ kind: "unknown", op, parts, text: clip(text) });
