// What the code says, as words: the names and string literals of a function (with the functions inside it), or of a
// whole file (its functions and its top level), lower-cased. Rules that ask whether code mentions something (a header
// name, a well-known path, a parameter of a challenge) read these, so comments never count: a comment about
// WWW-Authenticate doesn't send one.
import type { FnId, Value } from "@/lib/core/facts";
import type { CodeFacts } from "./code";

/** Characters of words kept per file. */
const MAX_FILE_WORDS = 400_000;

export class CodeText {
  readonly #code: CodeFacts;
  #files: Map<string, string> | null = null;

  constructor(code: CodeFacts) {
    this.#code = code;
  }

  /** The words of a function and the functions written inside it; for a file's top level, the whole file's. */
  ofFunction(fn: FnId): string {
    const f = this.#code.fn(fn);
    return f.isModule ? this.ofFile(f.path) : f.words;
  }

  /** The words of a whole file. */
  ofFile(path: string): string {
    return (this.#files ??= this.#collect()).get(path) ?? "";
  }

  /** Whether the code of any file that `include` accepts says `needle` (lower-case). */
  mentions(needle: string, include: (path: string) => boolean): boolean {
    for (const [path, words] of (this.#files ??= this.#collect())) if (include(path) && words.includes(needle)) return true;
    return false;
  }

  /** Every file's words at once: the words of its top-level functions, and the names and strings of its top level. */
  #collect(): Map<string, string> {
    const code = this.#code;
    const parts = new Map<string, string[]>();
    const add = (path: string, word: string) => {
      let list = parts.get(path);
      if (!list) parts.set(path, (list = []));
      list.push(word);
    };
    const isTop = (fn: FnId) => code.fn(fn).isModule;
    for (const f of code.functions) {
      if (f.isModule) {
        for (const [name, values] of Object.entries(f.bindings)) {
          add(f.path, name);
          for (const v of values) valueWords(v, (w) => add(f.path, w));
        }
        for (const r of f.returns) valueWords(r, (w) => add(f.path, w));
      } else if (f.parent !== null && isTop(f.parent)) add(f.path, f.words);
    }
    for (const c of code.calls) {
      if (!isTop(c.fn)) continue;
      add(c.path, c.callee);
      for (const a of c.args) valueWords(a, (w) => add(c.path, w));
      for (const [k, v] of c.kwargs) {
        add(c.path, k);
        valueWords(v, (w) => add(c.path, w));
      }
    }
    for (const file of code.files) for (const v of Object.values(file.exports)) valueWords(v, (w) => add(file.path, w));
    for (const a of code.assignments) {
      if (!isTop(a.fn)) continue;
      add(a.path, a.target);
      valueWords(a.value, (w) => add(a.path, w));
    }
    const out = new Map<string, string>();
    for (const [path, words] of parts) out.set(path, words.join(" ").toLowerCase().slice(0, MAX_FILE_WORDS));
    return out;
  }
}

/** The strings and names inside a value (calls and functions are read from their own facts). */
function valueWords(v: Value, add: (word: string) => void, depth = 0): void {
  if (depth > 12) return;
  const next = (x: Value) => valueWords(x, add, depth + 1);
  switch (v.kind) {
    case "string":
      add(v.value);
      return;
    case "ref":
      add(v.path);
      return;
    case "template":
      v.parts.forEach(next);
      return;
    case "array":
      v.items.forEach(next);
      return;
    case "object":
      for (const e of v.entries) {
        if (e.key !== null) add(e.key);
        next(e.value);
      }
      return;
    case "member":
      add(v.property);
      next(v.object);
      return;
    case "unknown":
      v.parts.forEach(next);
      return;
    default:
      return;
  }
}
