// Whole upstream records in a value, read from the facts the same way for both languages: an API response passed
// on unchanged (`await res.json()`, `r.json()`, axios `.data`), whole database rows (an ORM find without `select`,
// `SELECT *`), directly, through names, helpers that return them, and fields or spreads of objects.
import type { FnId, FunctionFact, Value } from "@/lib/core/facts";
import type { Facts } from "@/lib/engine/facts/container";

/** Why a value is whole upstream records ("is the upstream API response, unchanged"), or null. */
export type RawReason = string | null;

const UPSTREAM = "is the upstream API response, unchanged";
// ORM finders that return whole rows unless told which columns (Prisma).
const ORM_FINDERS = new Set(["findMany", "findFirst", "findUnique", "findFirstOrThrow", "findUniqueOrThrow"]);
// HTTP libraries whose response object carries the parsed body in `.data`; the others are read with `.json()`.
const BODY_IN_DATA = new Set(["axios"]);
const MAX_DEPTH = 3;

export class RawRecordReader {
  readonly #helperReasons = new Map<FnId, RawReason>();
  readonly #dataBodies: ReadonlySet<number>;
  #byName: Map<string, FunctionFact[]> | null = null;

  constructor(
    private readonly facts: Facts,
    /** Whether a file's functions may be matched by name for calls the linker could not resolve. */
    private readonly judged: (path: string) => boolean,
  ) {
    this.#dataBodies = new Set(facts.outbound.filter((o) => o.kind === "request" && BODY_IN_DATA.has(o.library)).map((o) => o.call.id));
  }

  /** Raw records in a value: directly, through a helper, through a name, or in a field or spread of an object. */
  reasonIn(value: Value, fn: FnId, depth = 0): RawReason {
    if (depth > MAX_DEPTH) return null;
    const direct = this.direct(value, fn, 0);
    if (direct) return direct;
    const helper = this.#viaHelper(value, fn);
    if (helper) return helper;
    if (value.kind === "ref" && !value.path.includes(".")) {
      const bound = this.facts.code.lookup(fn, value.path);
      if (bound.length !== 1) return null;
      const b = bound[0]!;
      return this.#viaHelper(b, fn) ?? (b.kind === "object" ? this.reasonIn(b, fn, depth + 1) : null);
    }
    if (value.kind === "object") {
      for (const e of value.entries) {
        const inner = this.reasonIn(e.value, fn, depth + 1);
        if (inner) return inner;
      }
    }
    return null;
  }

  /**
   * Raw records written right here: `res.json()`, axios `.data`, an ORM find without `select`, `SELECT *`, or a
   * name every assignment of which is one of those. (Not JSON.parse: that is as often the server's own data.)
   */
  direct(value: Value, fn: FnId, depth: number): RawReason {
    if (depth > MAX_DEPTH) return null;
    const code = this.facts.code;
    const call = code.callOf(value);
    if (call) {
      const method = call.callee.slice(call.callee.lastIndexOf(".") + 1);
      if (call.receiver && method === "json" && call.args.length === 0 && call.kwargs.length === 0) return UPSTREAM;
      if (call.receiver && ORM_FINDERS.has(method)) {
        const options = call.args[0];
        if (!options || (options.kind === "object" && !options.entries.some((e) => e.key === "select" || e.key === "omit")))
          return `holds whole database rows (\`${method}\` without \`select\`)`;
      }
      const sql = call.args[0];
      if (sql?.kind === "string" && /^\s*select\s+\*/i.test(sql.value)) return "holds whole database rows (`SELECT *`)";
      return null;
    }
    if (value.kind === "member" && value.property === "data") return this.#isDataBody(value.object, fn) ? UPSTREAM : null;
    if (value.kind !== "ref") return null;
    const [root, ...rest] = value.path.split(".");
    if (rest.length === 1 && rest[0] === "data") return this.#isDataBody({ kind: "ref", path: root!, text: root! }, fn) ? UPSTREAM : null;
    if (rest.length > 0) return null;
    const bound = code.lookup(fn, root!);
    if (bound.length === 0 || bound.some((b) => b === value)) return null;
    const reasons = bound.map((b) => this.direct(b, fn, depth + 1));
    return reasons.every((r) => r !== null) ? reasons[0]! : null;
  }

  /** A response of an HTTP library that keeps the body in `.data`: the call itself, or a name assigned one. */
  #isDataBody(value: Value, fn: FnId): boolean {
    const call = this.facts.code.callOf(value);
    if (call) return this.#dataBodies.has(call.id);
    if (value.kind !== "ref" || value.path.includes(".")) return false;
    const bound = this.facts.code.lookup(fn, value.path);
    const made = bound.length === 1 ? this.facts.code.callOf(bound[0]!) : null;
    return made !== null && this.#dataBodies.has(made.id);
  }

  /** A call of a function whose every return value is raw records. */
  #viaHelper(value: Value, fn: FnId): RawReason {
    const call = this.facts.code.callOf(value);
    if (!call) return null;
    for (const helper of this.#callees(call.target, call.callee, fn)) {
      const reason = this.#helperReason(helper);
      if (reason) return `${reason} (returned by \`${helper.name ?? call.callee}\`)`;
    }
    return null;
  }

  /** The function a call reaches: the linked one, or (for a bare name the linker could not resolve) same-named functions. */
  #callees(target: FnId | null, callee: string, fn: FnId): FunctionFact[] {
    const code = this.facts.code;
    if (target !== null) return target === fn ? [] : [code.fn(target)];
    if (!callee || callee.includes(".")) return [];
    if (!this.#byName) {
      this.#byName = new Map();
      for (const f of code.functions) {
        if (f.isModule || !f.name || !this.judged(f.path)) continue;
        (this.#byName.get(f.name) ?? this.#byName.set(f.name, []).get(f.name)!).push(f);
      }
    }
    return this.#byName.get(callee) ?? [];
  }

  #helperReason(helper: FunctionFact): RawReason {
    if (this.#helperReasons.has(helper.id)) return this.#helperReasons.get(helper.id)!;
    this.#helperReasons.set(helper.id, null);
    const reasons = helper.returns.map((r) => this.direct(r, helper.id, 0));
    const reason = reasons.length > 0 && reasons.every((r) => r !== null) ? reasons[0]! : null;
    this.#helperReasons.set(helper.id, reason);
    return reason;
  }
}
