// Outbound HTTP call sites of server code (fetch, axios, got, ky, undici, requests, httpx, urllib), with what can be
// read statically about each: its timeout, the Authorization header it sends, and whether it forwards the
// incoming request's headers. Widget and test files are left out: their calls are not the server's.
import type { Facts } from "../facts/container";
import { lineOf, ts } from "./js";
import { hasSpread, memberName, objectProperty, propertyNameText, resolveConst, stringValue, unwrap, type JsFileIndex } from "./js-index";
import { hasSplat, keywordArgs, positionalArgs, pyIndex, pyLine, stringContent, type PyFileIndex } from "./py-index";
import type { PyNode } from "./python";
import { normalizeName } from "../facts/names";
import { isTestPath } from "./source-kind";
import { serverJsFiles } from "./server-code";

/** "set": a timeout or abort signal is given (or the library has a default); "disabled": explicitly none. */
export type TimeoutState = "set" | "missing" | "disabled" | "unknown";

interface OutboundBase {
  path: string;
  line: number;
  library: "fetch" | "axios" | "got" | "ky" | "undici" | "requests" | "httpx" | "urllib" | "aiohttp";
  /** A client factory (`axios.create`, `httpx.Client`) rather than a request. */
  kind: "request" | "client";
  timeout: TimeoutState;
  /** The library retries failed requests on its own (got, ky). */
  builtInRetry: boolean;
  /** The request URL when it is a plain string. */
  url: string | null;
}

export interface JsOutboundCall extends OutboundBase {
  language: "js";
  node: ts.CallExpression | ts.NewExpression;
  file: JsFileIndex;
  /** The Authorization header value, when written inline. */
  authorization?: ts.Expression;
  /** The whole incoming headers object is sent on (`headers: req.headers`). */
  forwardedHeaders?: ts.Expression;
}

export interface PyOutboundCall extends OutboundBase {
  language: "py";
  node: PyNode;
  file: PyFileIndex;
  authorization?: PyNode;
  forwardedHeaders?: PyNode;
}

export type OutboundCall = JsOutboundCall | PyOutboundCall;

const AXIOS_NO_BODY = new Set(["get", "delete", "head", "options"]);
const AXIOS_BODY = new Set(["post", "put", "patch", "postForm", "putForm", "patchForm"]);
const GOT_METHODS = new Set(["get", "post", "put", "patch", "delete", "head", "stream", "paginate"]);
const REQUESTS_METHODS = new Set(["get", "post", "put", "patch", "delete", "head", "options", "request"]);
const HTTPX_METHODS = new Set(["get", "post", "put", "patch", "delete", "head", "options", "request", "stream"]);

export async function outboundCalls(facts: Facts): Promise<readonly OutboundCall[]> {
  return facts.memo("code:outbound-calls", async () => {
    const js = serverJsFiles(facts).flatMap(jsOutbound);
    const py = (await pyIndex(facts)).filter((f) => !isTestPath(f.path)).flatMap(pyOutbound);
    return [...js, ...py];
  });
}

// JavaScript / TypeScript

function jsOutbound(file: JsFileIndex): JsOutboundCall[] {
  const axiosDefaultsTimeout = file.text.includes("defaults.timeout");
  const out: JsOutboundCall[] = [];
  for (const { node, callee } of file.calls) {
    if (!callee || ts.isNewExpression(node)) continue;
    const args = node.arguments;
    const base = { language: "js" as const, node, file, path: file.path, line: lineOf(node, file.sourceFile) };
    const method = callee.slice(callee.lastIndexOf(".") + 1);
    const object = callee.slice(0, Math.max(0, callee.lastIndexOf(".")));

    if (callee === "fetch" || callee === "globalThis.fetch" || callee === "undici.fetch" || callee === "nodeFetch") {
      const first = args[0] ? unwrap(args[0]) : undefined;
      // A Request object carries its own options; relative URLs are browser code.
      if (first && ts.isNewExpression(first)) continue;
      const url = stringValue(first);
      if (url !== null && url.startsWith("/")) continue;
      const options = resolveObject(args[1]);
      let timeout: TimeoutState = args[1] === undefined ? "missing" : "unknown";
      if (options)
        timeout =
          objectProperty(options, "signal") || objectProperty(options, "timeout") ? "set" : hasSpread(options) ? "unknown" : "missing";
      if (
        timeout === "missing" &&
        first &&
        !ts.isStringLiteralLike(first) &&
        !ts.isTemplateExpression(first) &&
        args.length === 1 &&
        looksLikeRequestObject(first)
      )
        timeout = "unknown";
      out.push({ ...base, library: "fetch", kind: "request", timeout, builtInRetry: false, url, ...headerFacts(options) });
    } else if (
      callee === "axios" ||
      (object === "axios" && (AXIOS_NO_BODY.has(method) || AXIOS_BODY.has(method) || method === "request" || method === "create"))
    ) {
      let config: ts.Expression | undefined;
      if (callee === "axios") config = args[0] && ts.isObjectLiteralExpression(unwrap(args[0])) ? args[0] : args[1];
      else if (method === "request" || method === "create") config = args[0];
      else config = AXIOS_BODY.has(method) ? args[2] : args[1];
      const options = resolveObject(config);
      let timeout: TimeoutState;
      if (axiosDefaultsTimeout) timeout = "set";
      else if (config === undefined) timeout = "missing";
      else if (!options) timeout = "unknown";
      else {
        const t = objectProperty(options, "timeout");
        timeout = t
          ? isZero(t)
            ? "disabled"
            : "set"
          : objectProperty(options, "signal")
            ? "set"
            : hasSpread(options)
              ? "unknown"
              : "missing";
      }
      const url = callee === "axios" || method === "request" || method === "create" ? null : stringValue(args[0]);
      out.push({
        ...base,
        library: "axios",
        kind: method === "create" ? "client" : "request",
        timeout,
        builtInRetry: false,
        url,
        ...headerFacts(options),
      });
    } else if (callee === "got" || (object === "got" && (GOT_METHODS.has(method) || method === "extend"))) {
      const first = args[0] ? unwrap(args[0]) : undefined;
      const config = first && ts.isObjectLiteralExpression(first) ? first : args[1];
      const options = resolveObject(config);
      const timeout: TimeoutState = options
        ? objectProperty(options, "timeout")
          ? "set"
          : hasSpread(options)
            ? "unknown"
            : "missing"
        : config === undefined
          ? "missing"
          : "unknown";
      out.push({
        ...base,
        library: "got",
        kind: method === "extend" ? "client" : "request",
        timeout,
        builtInRetry: true,
        url: stringValue(args[0]),
        ...headerFacts(options),
      });
    } else if (callee === "ky" || (object === "ky" && (GOT_METHODS.has(method) || method === "create" || method === "extend"))) {
      // ky times out after 10 s and retries by default.
      out.push({
        ...base,
        library: "ky",
        kind: "request",
        timeout: "set",
        builtInRetry: true,
        url: stringValue(args[0]),
        ...headerFacts(resolveObject(args[1])),
      });
    } else if (callee === "undici.request" || callee === "undici.stream") {
      // undici's request has header and body timeouts by default.
      out.push({
        ...base,
        library: "undici",
        kind: "request",
        timeout: "set",
        builtInRetry: false,
        url: stringValue(args[0]),
        ...headerFacts(resolveObject(args[1])),
      });
    }
  }
  return out;
}

function isZero(e: ts.Expression): boolean {
  const u = unwrap(e);
  return ts.isNumericLiteral(u) && Number(u.text) === 0;
}

function looksLikeRequestObject(e: ts.Expression): boolean {
  return ts.isIdentifier(e) && /^(?:req|request)$/i.test(e.text);
}

function headerFacts(options: ts.ObjectLiteralExpression | undefined): { authorization?: ts.Expression; forwardedHeaders?: ts.Expression } {
  if (!options) return {};
  const headers = objectProperty(options, "headers");
  if (!headers) return {};
  const h = unwrap(headers);
  if (ts.isObjectLiteralExpression(h)) {
    for (const p of h.properties) {
      if (ts.isPropertyAssignment(p) && normalizeName(propertyNameText(p.name) ?? "") === "authorization")
        return { authorization: p.initializer };
      if (ts.isShorthandPropertyAssignment(p) && normalizeName(p.name.text) === "authorization") return { authorization: p.name };
    }
    return {};
  }
  const name = memberName(h);
  if (name !== null && isIncomingHeaders(name)) return { forwardedHeaders: h };
  return {};
}

/** `req.headers`, `request.headers`, `ctx.request.headers`, `c.req.raw.headers`: the headers of the request being served. */
function isIncomingHeaders(name: string): boolean {
  return /^(?:req|request|ctx\.request|ctx\.req|c\.req|c\.req\.raw|event\.request)\.headers$/.test(name);
}

/** An object literal given inline, or through a `const` in scope. */
export function resolveObject(expression: ts.Expression | undefined): ts.ObjectLiteralExpression | undefined {
  if (!expression) return undefined;
  const e = unwrap(expression);
  if (ts.isObjectLiteralExpression(e)) return e;
  if (ts.isIdentifier(e)) {
    const init = resolveConst(e);
    if (init && ts.isObjectLiteralExpression(unwrap(init))) return unwrap(init) as ts.ObjectLiteralExpression;
  }
  return undefined;
}

// Python

function pyOutbound(file: PyFileIndex): PyOutboundCall[] {
  const sessions = new Set<string>();
  for (const { node, callee } of file.calls) {
    if (callee !== "requests.Session" && callee !== "requests.session") continue;
    const parent = node.parent;
    if (parent?.type === "assignment") sessions.add(parent.childForFieldName("left")?.text ?? "");
    else if (parent?.type === "as_pattern") {
      const target = parent.namedChildren.find((c) => c?.type === "as_pattern_target");
      if (target) sessions.add(target.text);
    }
  }
  const out: PyOutboundCall[] = [];
  for (const { node, callee } of file.calls) {
    if (!callee) continue;
    const dot = callee.lastIndexOf(".");
    const method = callee.slice(dot + 1);
    const object = callee.slice(0, Math.max(0, dot));
    const kw = keywordArgs(node);
    const base = { language: "py" as const, node, file, path: file.path, line: pyLine(node) };
    const url = stringContent(positionalArgs(node)[0]);
    const timeoutKw = (): TimeoutState => {
      const t = kw.get("timeout");
      if (t) return t.type === "none" ? "disabled" : "set";
      return hasSplat(node) ? "unknown" : "missing";
    };

    if ((object === "requests" || sessions.has(object)) && REQUESTS_METHODS.has(method)) {
      out.push({ ...base, library: "requests", kind: "request", timeout: timeoutKw(), builtInRetry: false, url, ...pyHeaderFacts(kw) });
    } else if (object === "httpx" && HTTPX_METHODS.has(method)) {
      // httpx times out after 5 s unless told otherwise.
      out.push({
        ...base,
        library: "httpx",
        kind: "request",
        timeout: kw.get("timeout")?.type === "none" ? "disabled" : "set",
        builtInRetry: false,
        url,
        ...pyHeaderFacts(kw),
      });
    } else if (callee === "httpx.Client" || callee === "httpx.AsyncClient") {
      out.push({
        ...base,
        library: "httpx",
        kind: "client",
        timeout: kw.get("timeout")?.type === "none" ? "disabled" : "set",
        builtInRetry: false,
        url: null,
        ...pyHeaderFacts(kw),
      });
    } else if (callee === "urllib.request.urlopen" || callee === "request.urlopen" || callee === "urlopen") {
      const timeout: TimeoutState = kw.has("timeout") || positionalArgs(node).length >= 3 ? "set" : hasSplat(node) ? "unknown" : "missing";
      out.push({ ...base, library: "urllib", kind: "request", timeout, builtInRetry: false, url });
    } else if (callee === "aiohttp.ClientSession") {
      // aiohttp sessions time out after five minutes by default.
      out.push({ ...base, library: "aiohttp", kind: "client", timeout: "set", builtInRetry: false, url: null, ...pyHeaderFacts(kw) });
    }
  }
  return out;
}

function pyHeaderFacts(kw: Map<string, PyNode>): { authorization?: PyNode; forwardedHeaders?: PyNode } {
  const headers = kw.get("headers");
  if (!headers) return {};
  if (headers.type === "dictionary") {
    for (const pair of headers.namedChildren) {
      if (pair?.type !== "pair") continue;
      const key = stringContent(pair.childForFieldName("key"));
      const value = pair.childForFieldName("value");
      if (key !== null && normalizeName(key) === "authorization" && value) return { authorization: value };
    }
    return {};
  }
  const text =
    headers.type === "call" && headers.childForFieldName("function")?.text === "dict"
      ? (positionalArgs(headers)[0]?.text ?? "")
      : headers.text;
  if (/^request\.headers$/.test(text)) return { forwardedHeaders: headers };
  return {};
}
