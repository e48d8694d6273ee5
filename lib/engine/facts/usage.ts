// Whether code is used at all: a named helper nothing calls, hands on or imports (tests aside) is dead code, and what
// it would do (read a bearer token, decode a JWT) says nothing about the running server. Read from calls, call links and the
// words of the code; entry points (route and tool handlers, exports a framework calls, decorated functions) are used.
import type { FnId, FunctionFact } from "@/lib/core/facts";
import type { CodeFacts } from "./code";
import type { CodeText } from "./code-text";
import { lastSegment } from "./tokens";

/** Code whose use of a function doesn't make it part of the running server: tests, fixtures, docs, examples. */
const NOT_USES = new Set<string>(["test", "fixture", "docs", "example"]);
/** Exported names a framework calls by convention: Next.js route handlers, middleware, default exports, `main`. */
const FRAMEWORK_EXPORTS = /^(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|default|handler|middleware|main|fetch)$/;

export class Usage {
  readonly #code: CodeText;
  readonly #facts: CodeFacts;
  readonly #memo = new Map<FnId, boolean>();

  constructor(facts: CodeFacts, text: CodeText) {
    this.#facts = facts;
    this.#code = text;
  }

  /** Whether a function, or a named function it is written inside, is never used. */
  inDeadCode(fn: FnId): boolean {
    for (let f: FunctionFact | undefined = this.#facts.fn(fn), hops = 0; f && !f.isModule && hops < 50; hops++) {
      if (this.#unused(f)) return true;
      f = f.parent === null ? undefined : this.#facts.fn(f.parent);
    }
    return false;
  }

  #unused(f: FunctionFact): boolean {
    const known = this.#memo.get(f.id);
    if (known !== undefined) return known;
    const unused = this.#isUnused(f);
    this.#memo.set(f.id, unused);
    return unused;
  }

  /** Named, not an entry point, no caller linked or named alike, and its name in no other file's code nor its own top level. */
  #isUnused(f: FunctionFact): boolean {
    const name = f.name;
    const counts = (path: string) => !NOT_USES.has(this.#facts.file(path)?.role ?? "server");
    if (!name || f.decorators.length > 0 || f.className !== null || this.#facts.callersOf(f.id).some((c) => counts(c.path))) return false;
    // Only functions declared under their name at a file's top level: a method of an object is called through it.
    const parent = f.parent === null ? null : this.#facts.fn(f.parent);
    if (!parent?.isModule || !(parent.bindings[name] ?? []).some((v) => v.kind === "function" && v.fn === f.id)) return false;
    if (f.exported && FRAMEWORK_EXPORTS.test(name)) return false;
    if (this.#facts.callsNamed(name).some((c) => lastSegment(c.callee) === name && counts(c.path) && !within(this.#facts, c.fn, f))) return false;
    const word = new RegExp(`(?:^|[^\\w$])${name.toLowerCase().replace(/[^\w]/g, "\\$&")}(?:[^\\w$]|$)`);
    for (const file of this.#facts.files) {
      if (file.path !== f.path && counts(file.path) && word.test(this.#code.ofFile(file.path))) return false;
    }
    // In its own file: named by another top-level function or handed on at the top level (`app.use(requireAuth)`).
    for (const other of this.#facts.functionsIn(f.path)) {
      if (other.isModule || other.id === f.id || within(this.#facts, other.id, f) || within(this.#facts, f.id, other)) continue;
      if (word.test(other.words)) return false;
    }
    const top = this.#facts.functionsIn(f.path)[0];
    return !(top?.isModule && top.calls.some((id) => this.#facts.calls[id]!.args.some((a) => a.kind === "ref" && lastSegment(a.path) === name)));
  }
}

/** Whether function `id` is `outer` or written inside it. */
function within(code: CodeFacts, id: FnId, outer: FunctionFact): boolean {
  for (let f: FunctionFact | undefined = code.fn(id), hops = 0; f && hops < 50; hops++) {
    if (f.id === outer.id) return true;
    f = f.parent === null ? undefined : code.fn(f.parent);
  }
  return false;
}
