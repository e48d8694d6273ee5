// What a value written to a log holds, read from the facts the same way for both languages: a credential (a token,
// a secret, the authorization header, the whole request headers) or request content (the raw body, the tool
// arguments, the prompt text). Names decide first, as a reviewer reads them; data flow adds what the names hide
// (a local that holds the caller's token, the handler parameter that is the tool arguments).
import type { CallFact, FnId, SinkFact, Value } from "@/lib/core/facts";
import type { Facts } from "@/lib/engine/facts/container";
import { argumentPart, memberOf } from "@/lib/engine/facts/arguments";
import { isCredentialName, isSecretEnvName, normalizeName } from "@/lib/engine/facts/names";

export interface Sensitive {
  /** credential: a token, secret or authorization header; content: the whole body, tool arguments or prompt; personal: one tool argument or a personal field (an email address). */
  kind: "credential" | "content" | "personal";
  what: string;
}

// Calls that make a value safe to log: redaction, hashing, sizes, presence.
const REDACTING = /redact|mask|hash|sanitiz|digest|fingerprint|truncat|anonymi|scrub|censor|obfuscat|length|len$|count|bool|typeof/i;
// Names of the incoming request in handlers: Express/Next `req`/`request`, Koa/Hono contexts, Lambda events.
const INCOMING = /^(?:req|request|ctx\.request|ctx\.req|c\.req|c\.req\.raw|event|event\.request)$/;
// The raw body, read as a field (`req.body`, Flask `request.data`) or by a call (`await request.json()`, `request.get_json()`).
const BODY_FIELDS = new Set(["body", "data", "form", "json", "stream"]);
const BODY_READERS = new Set(["json", "text", "formData", "body", "get_json", "form"]);
const SIZE_FIELDS = new Set(["length", "size", "count", "byteLength"]);
const ENV_ROOT = /^(?:process\.env|os\.environ|import\.meta\.env)\.([\w-]+)$/;
const ENV_GETTER = /^(?:os\.getenv|os\.environ\.get|getenv)$/;
const HEADER_GETTER = /(?:^|\.)headers\.get$/;
// Not a bare `prompt`: MCP servers have prompt templates (a protocol feature) whose names and descriptions are fine to log.
const PROMPT_NAMES = new Set(["userprompt", "prompttext", "rawprompt", "userinput", "usermessage", "chatmessage"]);
// Fields that hold personal data about a user, whoever they belong to.
const PERSONAL_NAMES = new Set([
  "email",
  "emailaddress",
  "useremail",
  "phone",
  "phonenumber",
  "mobilenumber",
  "ssn",
  "dateofbirth",
  "birthdate",
  "dob",
  "homeaddress",
  "postaladdress",
]);
// The arguments of a low-level CallTool request: `request.params.arguments`.
const REQUEST_TOOL_CALL = /^(?:[A-Za-z_$][\w$]*\.)?params\.arguments$/;
// Calls whose result is their argument, written out.
const FORMATTING =
  /^(?:String|str|repr|JSON\.stringify|json\.dumps|dict|list|Object\.assign|structuredClone|util\.inspect|pprint\.pformat)$/;
// Schema validation hands back the data it was given (`schema.parse(request.params.arguments)`, `Model.model_validate(d)`).
const VALIDATING = /(?:^|\.)(?:parse|safeParse|parseAsync|safeParseAsync|model_validate|parse_obj|validate)$/;
// Calls that cut a text into words, and calls that tidy a word: what they yield is text, not a credential.
const TEXT_SPLITTERS =
  /(?:^|\.)(?:split|splitlines|rsplit|findall|finditer|split_whitespace|tokenize|words|shlex\.split|re\.split|re\.findall|re\.finditer)$/;
const TEXT_TRIMS = /\.(?:strip|lstrip|rstrip|trim|trimStart|trimEnd|lower|upper|toLowerCase|toUpperCase|casefold)$/;
const MAX_NODES = 400;
// Assignments followed from a logged name back to what was assigned.
const MAX_HOPS = 4;

/** A parameter of a logging helper that reaches its log as it is, with the member path below it ("" for all of it). */
export interface LoggedParam {
  index: number;
  path: string;
}

interface Walk {
  budget: number;
  seen: Set<Value>;
  /** Parameters of helpers reached: their callers pass the data, and are judged at their call sites. */
  params: Array<{ fn: FnId } & LoggedParam>;
}

export interface Reading {
  found: Sensitive[];
  params: Walk["params"];
}

/** Reads values passed to log calls, and to helpers that log their parameters. */
export class LogValueReader {
  readonly #logSinksByFn = new Map<FnId, SinkFact[]>();
  readonly #loggedParams = new Map<FnId, LoggedParam[]>();

  constructor(private readonly facts: Facts) {
    for (const s of facts.sinks) {
      if (s.kind !== "log") continue;
      const list = this.#logSinksByFn.get(s.fn) ?? this.#logSinksByFn.set(s.fn, []).get(s.fn)!;
      list.push(s);
    }
  }

  /**
   * What a call of a logging helper logs: the arguments, or the parts of them, that the helper writes to a log as
   * they are. (A helper that logs `params.client_id.slice(0, 10)` logs a prefix, not what its caller passes.)
   */
  readHelperCall(call: CallFact): Reading {
    const out: Reading = { found: [], params: [] };
    if (call.target === null) return out;
    const helper = this.facts.code.fn(call.target);
    for (const p of this.loggedParams(helper.id)) {
      const arg = argumentPart(call, helper, p.index, p.path);
      if (!arg) continue;
      const r = this.read(arg, call.fn);
      out.found.push(...r.found);
      out.params.push(...r.params);
    }
    return out;
  }

  /** The parameters of a function that reach a log as they are, directly or through further helpers. */
  loggedParams(fn: FnId): LoggedParam[] {
    const memo = this.#loggedParams.get(fn);
    if (memo) return memo;
    // Recursion (a helper calling itself, two calling each other) sees nothing logged yet.
    this.#loggedParams.set(fn, []);
    const out: LoggedParam[] = [];
    for (const s of this.#logSinksByFn.get(fn) ?? []) {
      const call = s.call === null ? undefined : this.facts.code.calls[s.call];
      const reading = s.via === null || !call ? this.read(s.value, fn) : this.readHelperCall(call);
      for (const p of reading.params)
        if (p.fn === fn && !out.some((o) => o.index === p.index && o.path === p.path)) out.push({ index: p.index, path: p.path });
    }
    this.#loggedParams.set(fn, out);
    return out;
  }

  /** Everything sensitive in a value logged inside function `fn` (bounded), and the helper parameters it logs. */
  read(value: Value, fn: FnId): Reading {
    const walk: Walk = { budget: MAX_NODES, seen: new Set(), params: [] };
    return { found: this.#walk(value, fn, 0, walk), params: walk.params };
  }

  #walk(value: Value, fn: FnId, hops: number, walk: Walk): Sensitive[] {
    const found: Sensitive[] = [];
    const stack: Value[] = [value];
    while (stack.length > 0 && walk.budget-- > 0) {
      const v = stack.pop()!;
      if (walk.seen.has(v)) continue;
      walk.seen.add(v);
      switch (v.kind) {
        case "template":
          stack.push(...v.parts);
          break;
        case "object":
          stack.push(...v.entries.map((e) => e.value));
          break;
        case "array":
          stack.push(...v.items);
          break;
        case "unknown":
          if (!isOpaque(v)) stack.push(...v.parts);
          break;
        case "member":
          // Sizes and counts of anything are fine: `(await x()).length`.
          if (!SIZE_FIELDS.has(v.property)) stack.push(v.object);
          break;
        case "call": {
          const s = this.#call(v, stack, hops > 0);
          if (s) found.push(s);
          break;
        }
        case "ref": {
          const s = this.#ref(v, fn, hops, walk);
          if (s) found.push(s);
          break;
        }
        default:
          // Constants and functions (callbacks inside log arguments declare names; they don't log them).
          break;
      }
    }
    return found;
  }

  /** A call in a log argument: the raw body, a credential header, a secret from the environment; else its arguments. */
  #call(v: Extract<Value, { kind: "call" }>, stack: Value[], assigned: boolean): Sensitive | null {
    const call = this.facts.code.callOf(v);
    if (!call) return null;
    const callee = call.callee || call.text.slice(0, 80);
    if (REDACTING.test(callee)) return null;
    const dot = callee.lastIndexOf(".");
    const receiver = dot === -1 ? "" : callee.slice(0, dot);
    const method = callee.slice(dot + 1);
    if (INCOMING.test(receiver) && BODY_READERS.has(method)) return { kind: "content", what: "the raw request body" };
    const name = call.args[0]?.kind === "string" ? call.args[0].value : null;
    if (HEADER_GETTER.test(callee) && name !== null && isCredentialName(name)) return { kind: "credential", what: `the ${name} header` };
    if (ENV_GETTER.test(call.resolved || callee))
      return name !== null && isSecretEnvName(name) ? { kind: "credential", what: `\`${name}\` from the environment` } : null;
    // Anything else written in the log call: what is passed in may be logged (`JSON.stringify(x)`, `f(x)`); the
    // receiver is not (`token.slice(0, 4)` is a prefix, `items.map(…)` a transformation). A value assigned from a
    // call is what the call made (`client.search(q)`, `exchange(code, secret)`), unless the call only formats.
    if (assigned && !FORMATTING.test(call.resolved || callee) && !VALIDATING.test(callee)) return null;
    stack.push(...call.args, ...call.kwargs.map(([, a]) => a));
    return null;
  }

  #ref(v: Extract<Value, { kind: "ref" }>, fn: FnId, hops: number, walk: Walk): Sensitive | null {
    const path = v.path;
    const last = path.slice(path.lastIndexOf(".") + 1);
    if (SIZE_FIELDS.has(last)) return null;
    // `for token in raw.split(",")`: a word of a text, whatever its name says.
    if (!path.includes(".") && this.#isWordOfText(path, fn)) return null;
    const byName = sensitiveName(path);
    if (byName !== undefined) return byName;
    const held = this.#held(v, fn, hops, walk);
    if (!held) return null;
    // Say which name holds it, once, at the name that was logged.
    return hops === 0 ? { kind: held.kind, what: `\`${path}\` (${held.what})` } : held;
  }

  /**
   * What a name that says nothing itself holds: what was assigned to it (read the same way, so a value computed by
   * a call from a key is not the key), or what data flow knows of a parameter or a global (the caller's token, the
   * tool arguments, a secret from the environment).
   */
  #held(v: Extract<Value, { kind: "ref" }>, fn: FnId, hops: number, walk: Walk): Sensitive | null {
    const code = this.facts.code;
    const [root, ...rest] = v.path.split(".");
    const owner = code.paramOwner(fn, root!);
    if (owner) {
      if (this.facts.toolArgumentParams.get(owner.fn.id) === owner.index && rest.length === 0)
        return { kind: "content", what: "the tool arguments" };
      // A helper's parameter is judged where the helper is called (its call sites are log sinks of their own).
      if (!owner.fn.isModule && code.callersOf(owner.fn.id).length > 0) {
        walk.params.push({ fn: owner.fn.id, index: owner.index, path: rest.join(".") });
        return null;
      }
      return this.#byOrigin(v, fn);
    }
    if (hops >= MAX_HOPS) return null;
    if (root === "this" || root === "self") return this.#field(v.path, fn, hops, walk);
    const bound = code.lookup(fn, root!);
    if (bound.length === 0) return this.#byOrigin(v, fn);
    // One field of the tool's arguments (`args.caption` after `args = schema.parse(request.params.arguments)`): data
    // flow keeps the field, where walking the assignment would see all the arguments.
    const flowed = rest.length > 0 ? this.#byOrigin(v, fn) : null;
    if (flowed?.kind === "personal") return flowed;
    const owned = this.#bindingOwner(fn, root!);
    for (const b of bound) {
      const value = rest.length === 0 ? b : memberOf(b, rest);
      const inner = this.#walk(value, owned, hops + 1, walk)[0];
      if (inner) return inner;
    }
    return null;
  }

  /**
   * Whether every value bound to a local name is a piece of a text: an element of what a split or tokenizer returns
   * (through comprehensions and other locals), or a trimmed or case-changed copy of such a piece
   * (`token = token.strip()`). Parameters and unbound names are not.
   */
  #isWordOfText(name: string, fn: FnId, seen = new Set<string>()): boolean {
    const code = this.facts.code;
    if (seen.has(name)) return true;
    if (seen.size > 8 || code.paramOwner(fn, name)) return false;
    seen.add(name);
    const bound = code.lookup(fn, name);
    return bound.length > 0 && bound.every((b) => this.#isWords(b, fn, seen));
  }

  #isWords(v: Value, fn: FnId, seen: Set<string>): boolean {
    if (v.kind === "unknown" && v.op === "element") {
      // `for w in X` binds an element of X; `[f(w) for w in X]` is a list of them: X is the last part.
      const iterable = v.parts[v.parts.length - 1];
      return iterable !== undefined && this.#isWords(iterable, fn, seen);
    }
    if (v.kind === "ref") return !v.path.includes(".") && this.#isWordOfText(v.path, fn, seen);
    if (v.kind !== "call") return false;
    const call = this.facts.code.callOf(v);
    if (!call) return false;
    if (TEXT_SPLITTERS.test(call.callee)) return true;
    const receiver = call.callee.slice(0, call.callee.lastIndexOf("."));
    return TEXT_TRIMS.test(call.callee) && /^[A-Za-z_$][\w$]*$/.test(receiver) && this.#isWordOfText(receiver, fn, seen);
  }

  /** `this.x` / `self.x`: what the class assigns to the field. */
  #field(path: string, fn: FnId, hops: number, walk: Walk): Sensitive | null {
    const code = this.facts.code;
    const cls = code.fn(fn).className;
    const [root, name, ...rest] = path.split(".");
    if (!cls || !name) return null;
    const field = `${root}.${name}`;
    for (const a of code.assignments) {
      if (a.target !== field || code.fn(a.fn).className !== cls) continue;
      // `this.token.id` reads the id of what was assigned to `this.token`.
      const inner = this.#walk(rest.length === 0 ? a.value : memberOf(a.value, rest), a.fn, hops + 1, walk)[0];
      if (inner) return inner;
    }
    return null;
  }

  /** The function whose bindings hold a name seen from `fn`. */
  #bindingOwner(fn: FnId, name: string): FnId {
    const code = this.facts.code;
    let f = code.fn(fn);
    for (let i = 0; i < 50 && !f.bindings[name]?.length && f.parent !== null; i++) f = code.fn(f.parent);
    return f.id;
  }

  /** For parameters of entry points and globals, data flow's origins are what the value is, not what it was made from. */
  #byOrigin(v: Value, fn: FnId): Sensitive | null {
    for (const o of this.facts.flow.origins(v, fn)) {
      if (o.kind === "credential" && o.what === "token") return { kind: "credential", what: "the caller's token" };
      if (o.kind === "secret") return { kind: "credential", what: `the secret ${o.name}` };
      if (o.kind === "request" && o.part === "headers" && o.name === null)
        return { kind: "credential", what: "the request headers (with the Authorization header)" };
      if (o.kind === "request" && o.part === "body" && o.name === null) return { kind: "content", what: "the raw request body" };
      if (o.kind === "tool-input" && o.field === null) return { kind: "content", what: "the tool arguments" };
    }
    for (const o of this.facts.flow.origins(v, fn)) {
      if (o.kind === "tool-input" && o.field !== null) return { kind: "personal", what: `the tool argument \`${o.field}\`` };
    }
    return null;
  }
}

/**
 * What a name alone says it holds: a credential, the raw body, the tool arguments, the prompt; null when it is
 * known to be harmless (a non-secret environment variable); undefined when the name says nothing.
 */
export function sensitiveName(path: string): Sensitive | null | undefined {
  const dot = path.lastIndexOf(".");
  const last = path.slice(dot + 1);
  const object = dot === -1 ? "" : path.slice(0, dot);
  if (last === "headers" && INCOMING.test(object))
    return { kind: "credential", what: "the request headers (with the Authorization header)" };
  if (/(?:^|\.)headers$/.test(object) && isCredentialName(last)) return { kind: "credential", what: `the ${last} header` };
  const env = ENV_ROOT.exec(path);
  if (env) return isSecretEnvName(env[1]!) ? { kind: "credential", what: `\`${path}\`` } : null;
  if (isCredentialName(last)) return { kind: "credential", what: `\`${path}\`` };
  if (BODY_FIELDS.has(last) && INCOMING.test(object)) return { kind: "content", what: "the raw request body" };
  if (REQUEST_TOOL_CALL.test(path)) return { kind: "content", what: "the tool arguments" };
  if (PROMPT_NAMES.has(normalizeName(last))) return { kind: "content", what: "the prompt text" };
  if (PERSONAL_NAMES.has(normalizeName(last))) return { kind: "personal", what: `\`${path}\` (personal data)` };
  return undefined;
}

/**
 * Parts of a value that don't carry its data into the log: negations, comparisons and `&&` (booleans), Python
 * slices (`token[:4]` is a prefix) and comprehensions (their bodies declare names, like callbacks).
 */
function isOpaque(v: Extract<Value, { kind: "unknown" }>): boolean {
  if (v.op === "!" || v.op === "compare" || v.op === "&&" || v.op === "regex" || v.op === "jsx" || v.op === "too-deep") return true;
  if (v.op !== "element") return false;
  const index = v.parts[1];
  if (index?.kind === "unknown" && /^[^[\]]*:/.test(index.text)) return true;
  return /^[[({].*\sfor\s/.test(v.text);
}
