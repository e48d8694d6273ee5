// CORS that lets any website make credentialed requests: a CORS library configured with every origin and
// credentials, or the two response headers set by hand in one function. Read from settings and calls, both
// languages alike.
import type { CallFact, FnId, Value } from "@/lib/core/facts";
import type { Severity } from "@/lib/core/types";
import type { Facts } from "@/lib/engine/facts/container";
import { strongest } from "@/lib/engine/facts/guards";
import { refsOf } from "@/lib/engine/facts/value-refs";
import { entry, kwarg, objectArg, stringsOf } from "@/lib/engine/facts/http";
import { isShippedPath } from "@/lib/engine/facts/roles";
import { isOn } from "@/lib/engine/facts/settings";

export interface CorsProblem {
  path: string;
  line: number;
  message: string;
  /** Set when a literal `*` is sent: browsers refuse it with credentials, so the setting is broken rather than open. */
  severity?: Severity;
  /** "reflected": the request's own Origin is sent back, unchecked or after a test any site can pass. */
  kind?: "reflected";
}

/** A CORS configuration that allows every origin, read from one call. */
interface AnyOriginConfig {
  credentials: Value | undefined;
  /** "echo": the caller's origin is sent back (open to every site); "literal": `*` is sent as it is. */
  anyOrigin: "echo" | "literal" | null;
  message: string;
}

// ---- CORS libraries: how each is called and what "every origin" looks like in it ----

/** express `cors`, Hono `cors`, NestJS `enableCors`, Fastify `register(cors, options)`. */
function jsCorsOptions(facts: Facts, call: CallFact): AnyOriginConfig | null {
  const last = call.callee.slice(call.callee.lastIndexOf(".") + 1);
  let options: Value | undefined;
  if (last === "cors" || last === "enableCors") options = call.args[0];
  else if (last === "register" && call.args[0] && /cors/i.test(call.args[0].text)) options = call.args[1];
  const object = objectArg(facts.code, call, options);
  if (!object) return null;
  const origin = entry(object, "origin");
  const literal = origin?.kind === "string" && origin.value === "*";
  const echo = origin?.kind === "boolean" && origin.value;
  const decided = origin?.kind === "function" ? originCallback(facts, origin.fn) : null;
  return {
    credentials: entry(object, "credentials"),
    anyOrigin: literal ? "literal" : echo || decided ? "echo" : null,
    message: literal
      ? "CORS allows every origin (`*`) with `credentials: true`."
      : decided
        ? `CORS's origin function ${decided}, with \`credentials: true\`.`
        : "CORS echoes every caller's origin (`origin: true`) with `credentials: true`.",
  };
}

/**
 * An `origin: (origin, callback) => …` function that allows every origin: it calls back `(null, true)` or with the
 * origin, checked by nothing or by a test other sites pass. Says how, or null when it checks the origin properly.
 */
function originCallback(facts: Facts, fn: FnId): string | null {
  const f = facts.code.fn(fn);
  const [originParam, callbackParam] = f.params.map((p) => p.name);
  if (!originParam || !callbackParam) return null;
  const allows = f.calls
    .map((id) => facts.code.calls[id]!)
    .some((c) => c.callee === callbackParam && ((c.args[1]?.kind === "boolean" && c.args[1].value) || (c.args[1]?.kind === "ref" && c.args[1].path === originParam)));
  if (!allows) return null;
  const check = strongest(facts.guards.on(fn, originParam, "host", 0, true));
  if (check?.strength === "strong") return null;
  return check ? `allows any origin that passes \`${check.text}\`, which doesn't hold: ${check.why}` : "allows every origin";
}

/** Starlette / FastAPI `add_middleware(CORSMiddleware, …)` and `Middleware(CORSMiddleware, …)`. */
function starletteCors(call: CallFact): AnyOriginConfig | null {
  const last = call.callee.slice(call.callee.lastIndexOf(".") + 1);
  if ((last !== "add_middleware" && last !== "Middleware") || !call.args[0]?.text.endsWith("CORSMiddleware")) return null;
  const regex = kwarg(call, "allow_origin_regex");
  const any =
    stringsOf(kwarg(call, "allow_origins")).includes("*") || (regex?.kind === "string" && (regex.value === ".*" || regex.value === ".+"));
  return {
    credentials: kwarg(call, "allow_credentials"),
    // Starlette answers a credentialed request with the caller's origin when every origin is allowed.
    anyOrigin: any ? "echo" : null,
    message: "CORSMiddleware allows every origin with `allow_credentials=True`; Starlette then echoes the caller's origin.",
  };
}

/** Flask-CORS `CORS(app, supports_credentials=True, origins=…)`; origins default to every origin. */
function flaskCors(call: CallFact): AnyOriginConfig | null {
  if (call.callee !== "CORS" && call.resolved !== "flask_cors.CORS") return null;
  const origins = kwarg(call, "origins") ?? kwarg(call, "resources");
  const any = !origins || stringsOf(origins).includes("*");
  return {
    credentials: kwarg(call, "supports_credentials"),
    anyOrigin: any ? "echo" : null,
    message: "Flask-CORS with `supports_credentials=True` and every origin allowed.",
  };
}

const CORS_CALLS = ["cors", "enableCors", "register", "add_middleware", "Middleware", "CORS"];

function libraryProblems(facts: Facts): CorsProblem[] {
  const out: CorsProblem[] = [];
  const seen = new Set<number>();
  for (const name of CORS_CALLS) {
    for (const call of facts.code.callsNamed(name)) {
      if (seen.has(call.id) || !isShippedPath(facts.code, call.path)) continue;
      seen.add(call.id);
      const config = jsCorsOptions(facts, call) ?? starletteCors(call) ?? flaskCors(call);
      if (!config?.anyOrigin || !config.credentials || !isOn(config.credentials)) continue;
      out.push({
        path: call.path,
        line: call.line,
        message: config.message,
        ...(config.anyOrigin === "literal" ? { severity: "moderate" as const } : {}),
      });
    }
  }
  return out;
}

// ---- the headers set by hand ----

const ACAO = "access-control-allow-origin";
const ACAC = "access-control-allow-credentials";
const SET_HEADER = ["setHeader", "header", "set", "append", "appendHeader"];

interface HeaderSetting {
  name: typeof ACAO | typeof ACAC;
  value: Value;
  path: string;
  line: number;
  fn: FnId;
}

function headerName(name: string): HeaderSetting["name"] | null {
  const lower = name.toLowerCase();
  return lower === ACAO || lower === ACAC ? lower : null;
}

/**
 * The two headers wherever code sets them: `res.setHeader(name, value)` and the like, header objects and
 * dictionaries (`{ "Access-Control-Allow-Origin": "*" }`), `response.headers[name] = value`, and Next.js
 * config entries (`{ key: name, value }`).
 */
function headerSettings(facts: Facts): HeaderSetting[] {
  // Both CORS rules read these; every setting of the code is looked at once per scan.
  return facts.memo("cors:header-settings", () => findHeaderSettings(facts));
}

function findHeaderSettings(facts: Facts): HeaderSetting[] {
  const out: HeaderSetting[] = [];
  const seen = new Set<number>();
  for (const method of SET_HEADER) {
    for (const call of facts.code.callsNamed(method)) {
      if (seen.has(call.id) || call.args.length < 2 || call.args[0]?.kind !== "string") continue;
      seen.add(call.id);
      const name = headerName(call.args[0].value);
      if (name) out.push({ name, value: call.args[1]!, path: call.path, line: call.line, fn: call.fn });
    }
  }
  for (const s of facts.settingsWhere((key) => headerName(key) !== null || key === "key")) {
    const name = headerName(s.key);
    if (name) out.push({ name, value: s.value, path: s.path, line: s.line, fn: s.fn });
    const value = s.object ? entry(s.object, "value") : undefined;
    if (s.key === "key" && s.value.kind === "string" && value && s.object) {
      const keyed = headerName(s.value.value);
      if (keyed) out.push({ name: keyed, value, path: s.path, line: s.object.line, fn: s.fn });
    }
  }
  return out.filter((h) => isShippedPath(facts.code, h.path));
}

/** `Access-Control-Allow-Origin: *` and `Access-Control-Allow-Credentials: true` set in the same function. */
function headerProblems(facts: Facts): CorsProblem[] {
  const byFunction = new Map<FnId, HeaderSetting[]>();
  for (const h of headerSettings(facts)) {
    const list = byFunction.get(h.fn);
    if (list) list.push(h);
    else byFunction.set(h.fn, [h]);
  }
  const out: CorsProblem[] = [];
  for (const group of byFunction.values()) {
    const any = group.find((h) => h.name === ACAO && h.value.kind === "string" && h.value.value === "*");
    const credentials = group.find((h) => h.name === ACAC && isTrue(h.value));
    if (any && credentials) {
      out.push({
        path: any.path,
        line: any.line,
        message: "`Access-Control-Allow-Origin: *` is sent together with `Access-Control-Allow-Credentials: true`.",
        severity: "moderate",
      });
    }
  }
  return out;
}

/**
 * `Access-Control-Allow-Origin` set to the request's Origin header: sent back as it came, or after a test that other
 * sites pass (a prefix without a path boundary, a substring, a suffix without a dot, an unanchored pattern). With
 * credentials allowed any site reads signed-in users' answers; without, it is the same as `*`.
 */
function reflectionProblems(facts: Facts): CorsProblem[] {
  const settings = headerSettings(facts);
  const out: CorsProblem[] = [];
  for (const h of settings) {
    if (h.name !== ACAO || h.value.kind === "string") continue;
    const fromOrigin = facts.flow.origins(h.value, h.fn).some((o) => o.kind === "request" && o.part === "headers" && o.name === "origin");
    if (!fromOrigin) continue;
    const guards = refsOf(facts.code, h.value).flatMap((name) => facts.guards.on(h.fn, name, "host", 0, true));
    const check = strongest(guards);
    if (check?.strength === "strong") continue;
    const credentials = settings.some((c) => c.name === ACAC && c.path === h.path && isTrue(c.value));
    out.push({
      path: h.path,
      line: h.line,
      kind: "reflected",
      severity: credentials ? "high" : "low",
      message:
        (check
          ? `The request's Origin is sent back in Access-Control-Allow-Origin after \`${check.text}\` (line ${check.line}), which doesn't hold: ${check.why}.`
          : "The request's Origin header is sent back in Access-Control-Allow-Origin with no check, so every site is allowed.") +
        (credentials ? " Access-Control-Allow-Credentials is true, so any site can read signed-in users' answers." : ""),
    });
  }
  return out;
}

function isTrue(v: Value): boolean {
  return v.kind === "string" ? v.value.toLowerCase() === "true" : v.kind === "boolean" && v.value;
}

export function corsProblems(facts: Facts): CorsProblem[] {
  return [...libraryProblems(facts), ...headerProblems(facts), ...reflectionProblems(facts)];
}

/**
 * CORS that lets every site read the answers, credentials or not: `cors()` with its default `*`, `origin: "*"`,
 * `allow_origins=["*"]`, Flask-CORS without origins. Harmless on a server that checks who calls; on one that doesn't,
 * any page the user visits can call its tools from the user's browser.
 */
export function openCorsCalls(facts: Facts): Array<{ path: string; line: number; text: string }> {
  const out: Array<{ path: string; line: number; text: string }> = [];
  for (const name of CORS_CALLS) {
    for (const call of facts.code.callsNamed(name)) {
      if (!isShippedPath(facts.code, call.path)) continue;
      const last = call.callee.slice(call.callee.lastIndexOf(".") + 1);
      const jsDefault = (last === "cors" || last === "enableCors") && call.args.length === 0;
      const config = jsDefault ? null : (jsCorsOptions(facts, call) ?? starletteCors(call) ?? flaskCors(call));
      if (jsDefault || config?.anyOrigin) out.push({ path: call.path, line: call.line, text: call.text.slice(0, 80) });
    }
  }
  return out;
}
