// How the widget-data rules read values, the same way for both languages: which credential a value carries (by the
// names of its fields and members, and secrets read from the environment), whether HTML given to a sink is a
// constant or sanitized, and whether a message handler looks at who sent the message.
import type { CallFact, FnId, FunctionFact, SinkFact, Value } from "@/lib/core/facts";
import type { Facts } from "@/lib/engine/facts/container";
import { argumentPart } from "@/lib/engine/facts/arguments";
import { isCredentialName, isSecretEnvName } from "@/lib/engine/facts/names";

const MAX_DEPTH = 4;
const ENV_ROOT = /^(?:process\.env|os\.environ|import\.meta\.env)\.([\w-]+)$/;
const ENV_GETTER = /^(?:os\.getenv|os\.environ\.get)$/;
const SANITIZER = /sanitiz|purif|escape|xss|encode|safeHtml|trustedHtml/i;

/** A description of the credential a value carries ("the `accessToken` field"), or null. */
export function credentialIn(facts: Facts, value: Value, fn: FnId, depth = 0): string | null {
  if (depth > MAX_DEPTH) return null;
  let v = value;
  // `structuredContent: out` where `const out = { … }`.
  if (depth === 0 && v.kind === "ref" && !v.path.includes(".")) {
    const bound = facts.code.lookup(fn, v.path);
    if (bound.length === 1 && bound[0]!.kind === "object") v = bound[0]!;
  }
  switch (v.kind) {
    case "object":
      for (const e of v.entries) {
        if (e.spread || e.key === null) continue;
        if (isCredentialName(e.key) && !isHarmless(e.value)) return `the \`${e.key}\` field`;
        const inner = credentialIn(facts, e.value, fn, depth + 1);
        if (inner) return inner;
      }
      return null;
    case "array":
    case "template":
      for (const item of v.kind === "array" ? v.items : v.parts) {
        const inner = credentialIn(facts, item, fn, depth + 1);
        if (inner) return inner;
      }
      return null;
    case "call": {
      const call = facts.code.callOf(v);
      const name = call?.args[0]?.kind === "string" ? call.args[0].value : null;
      return call && ENV_GETTER.test(call.resolved || call.callee) && name !== null && isSecretEnvName(name) ? `\`${name}\` from the environment` : null;
    }
    case "ref": {
      const env = ENV_ROOT.exec(v.path);
      if (env) return isSecretEnvName(env[1]!) ? `\`${v.path}\`` : null;
      return isCredentialName(v.path.slice(v.path.lastIndexOf(".") + 1)) ? `\`${v.path}\`` : null;
    }
    default:
      return null;
  }
}

/** Literal labels ("required", "Bearer"), flags and counts: a literal credential is the secrets check's to report. */
function isHarmless(v: Value): boolean {
  if (v.kind === "string" || v.kind === "number" || v.kind === "boolean" || v.kind === "null") return true;
  return v.kind === "unknown" && (v.op === "!" || /^[-+~]/.test(v.text));
}

/** A helper parameter that reaches an HTML sink unsanitized, with the member path below it. */
interface HtmlParam {
  index: number;
  path: string;
}

/** Whether HTML given to a sink is safe, following helpers that pass a parameter on to one. */
export class HtmlReader {
  readonly #sinksByFn = new Map<FnId, SinkFact[]>();
  readonly #params = new Map<FnId, HtmlParam[]>();

  constructor(private readonly facts: Facts) {
    for (const s of facts.sinks) {
      if (s.kind !== "html") continue;
      (this.#sinksByFn.get(s.fn) ?? this.#sinksByFn.set(s.fn, []).get(s.fn)!).push(s);
    }
  }

  /**
   * Whether a value is unsafe HTML here. Constants, sanitizer calls, and templates, conditionals and names built only
   * from those are safe; a parameter of a helper that has callers is judged at its call sites instead.
   */
  isUnsafe(value: Value, fn: FnId): boolean {
    return !this.#safe(value, fn, 0, []);
  }

  /** Whether a call of an HTML-writing helper passes it unsafe HTML. */
  isUnsafeCall(call: CallFact): boolean {
    if (call.target === null) return false;
    const helper = this.facts.code.fn(call.target);
    return this.#helperParams(helper).some((p) => {
      const arg = argumentPart(call, helper, p.index, p.path);
      return arg !== undefined && !this.#safe(arg, call.fn, 0, []);
    });
  }

  #helperParams(helper: FunctionFact): HtmlParam[] {
    const memo = this.#params.get(helper.id);
    if (memo) return memo;
    this.#params.set(helper.id, []);
    const out: HtmlParam[] = [];
    for (const s of this.#sinksByFn.get(helper.id) ?? []) {
      const call = s.call === null ? undefined : this.facts.code.calls[s.call];
      const found: Array<HtmlParam & { fn: FnId }> = [];
      if (s.via && call?.target != null) {
        const inner = this.facts.code.fn(call.target);
        for (const p of this.#helperParams(inner)) {
          const arg = argumentPart(call, inner, p.index, p.path);
          if (arg) this.#safe(arg, helper.id, 0, found);
        }
      } else this.#safe(s.value, helper.id, 0, found);
      for (const p of found) if (p.fn === helper.id && !out.some((o) => o.index === p.index && o.path === p.path)) out.push({ index: p.index, path: p.path });
    }
    this.#params.set(helper.id, out);
    return out;
  }

  #safe(v: Value, fn: FnId, depth: number, params: Array<HtmlParam & { fn: FnId }>): boolean {
    if (depth > MAX_DEPTH) return false;
    switch (v.kind) {
      case "string":
      case "number":
      case "boolean":
      case "null":
        return true;
      case "call": {
        const call = this.facts.code.callOf(v);
        return call !== null && SANITIZER.test((call.callee || call.text).slice(0, 100));
      }
      case "template":
        return v.parts.every((p) => this.#safe(p, fn, depth + 1, params));
      case "unknown":
        return ["?:", "||", "??", "+"].includes(v.op) && v.parts.every((p) => this.#safe(p, fn, depth + 1, params));
      case "ref": {
        const [root, ...rest] = v.path.split(".");
        const code = this.facts.code;
        const owner = code.paramOwner(fn, root!);
        if (owner && !owner.fn.isModule && code.callersOf(owner.fn.id).length > 0) {
          params.push({ fn: owner.fn.id, index: owner.index, path: rest.join(".") });
          return true;
        }
        if (rest.length > 0) return false;
        const bound = code.lookup(fn, root!);
        return bound.length > 0 && bound.every((b) => b !== v && this.#safe(b, fn, depth + 1, params));
      }
      default:
        return false;
    }
  }
}

/** Whether a message handler (or a function inside it) looks at `event.origin` or `event.source`. */
export function checksSender(facts: Facts, handler: FunctionFact, inside: ReadonlyMap<FnId, FnId[]>): boolean {
  const fns = [handler];
  for (let i = 0; i < fns.length && fns.length < 200; i++) for (const child of inside.get(fns[i]!.id) ?? []) fns.push(facts.code.fn(child));
  const ids = new Set(fns.map((f) => f.id));
  if (fns.some((f) => f.words.includes("origin") || f.params.some((p) => p.fields.includes("origin") || p.fields.includes("source")))) return true;
  return facts.code.accesses.some((a) => ids.has(a.fn) && /\.(?:source|origin)(?:\.|$)/.test(a.target));
}
