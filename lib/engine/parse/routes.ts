// HTTP routes a connector serves: Express/Hono/Fastify-style `app.get("/path", handler)`, Next.js route files,
// FastAPI/Flask/FastMCP decorators, Starlette `Route(...)`, and static files under `.well-known/`.
import type { Facts } from "../facts/container";
import { lineOf, ts } from "./js";
import { jsIndex, stringValue, unwrap, type JsFileIndex } from "./js-index";
import { dottedName, keywordArgs, positionalArgs, pyIndex, pyLine, stringContent, stringList, type PyFileIndex } from "./py-index";
import type { PyNode } from "./python";
import { isTestPath } from "./source-kind";

interface RouteBase {
  path: string;
  line: number;
  /** The route as written: `/.well-known/oauth-protected-resource`, `/mcp`, `/users/:id`. */
  route: string;
  /** Upper-case methods; "*" when any (`app.use`, `app.all`, a catch-all). */
  methods: string[];
}

export interface JsRoute extends RouteBase {
  language: "js";
  file: JsFileIndex;
  handler: ts.FunctionLikeDeclaration | null;
}

export interface PyRoute extends RouteBase {
  language: "py";
  file: PyFileIndex;
  handler: PyNode | null;
}

/** A file served as is (`public/.well-known/oauth-protected-resource`). */
export interface StaticRoute extends RouteBase {
  language: "static";
  text: string;
}

export type HttpRoute = JsRoute | PyRoute | StaticRoute;

const ROUTER_METHODS = new Set(["get", "post", "put", "patch", "delete", "del", "all", "options", "head", "use", "route", "on"]);
// Receivers whose `.get("/x")` is a request or a lookup, not a route.
const NOT_ROUTERS = new Set([
  "axios",
  "got",
  "ky",
  "http",
  "https",
  "request",
  "superagent",
  "client",
  "api",
  "map",
  "cache",
  "headers",
  "searchParams",
  "params",
  "query",
  "store",
  "redis",
  "kv",
]);
const NEXT_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"];
const PY_ROUTE_METHODS = new Set([
  "get",
  "post",
  "put",
  "patch",
  "delete",
  "route",
  "api_route",
  "custom_route",
  "websocket",
  "options",
  "head",
]);

export async function httpRoutes(facts: Facts): Promise<readonly HttpRoute[]> {
  return facts.memo("code:http-routes", async (snapshot) => {
    const out: HttpRoute[] = [];
    for (const file of jsIndex(facts)) {
      if (isTestPath(file.path)) continue;
      out.push(...jsRoutes(file), ...nextRoutes(file));
    }
    for (const file of await pyIndex(facts)) {
      if (isTestPath(file.path)) continue;
      out.push(...pyRoutes(file));
    }
    // Files served as they are: JSON or extension-less documents, not route code that happens to live there.
    for (const p of snapshot.find((x) => x.includes(".well-known/") && !isTestPath(x) && /(?:\/[^/.]+|\.json)$/.test(x))) {
      const text = snapshot.text(p);
      if (text === null || text.length > 64 * 1024) continue;
      const route = `/.well-known/${p.slice(p.indexOf(".well-known/") + ".well-known/".length).replace(/\.json$/, "")}`;
      out.push({ language: "static", path: p, line: 1, route, methods: ["GET"], text });
    }
    return out;
  });
}

function jsRoutes(file: JsFileIndex): JsRoute[] {
  const out: JsRoute[] = [];
  for (const { node, callee } of file.calls) {
    if (!callee || !ts.isCallExpression(node) || node.arguments.length < 2) continue;
    const dot = callee.lastIndexOf(".");
    if (dot === -1) continue;
    const method = callee.slice(dot + 1);
    const receiver = callee.slice(0, dot);
    if (!ROUTER_METHODS.has(method) || NOT_ROUTERS.has(receiver.slice(receiver.lastIndexOf(".") + 1))) continue;
    const route = stringValue(node.arguments[0]);
    if (route === null || !route.startsWith("/")) continue;
    out.push({
      language: "js",
      file,
      path: file.path,
      line: lineOf(node, file.sourceFile),
      route,
      methods:
        method === "use" || method === "all" || method === "route" || method === "on"
          ? ["*"]
          : [method === "del" ? "DELETE" : method.toUpperCase()],
      handler: jsHandler(file, node.arguments[node.arguments.length - 1]!),
    });
  }
  return out;
}

function jsHandler(file: JsFileIndex, arg: ts.Expression): ts.FunctionLikeDeclaration | null {
  const e = unwrap(arg);
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return e;
  if (ts.isIdentifier(e)) return file.functions.find((f) => f.name === e.text)?.node ?? null;
  return null;
}

/** Next.js App Router `app/**\/route.ts` (exported GET, POST…) and Pages Router `pages/api/**`. */
function nextRoutes(file: JsFileIndex): JsRoute[] {
  const segments = file.path.split("/");
  const name = segments[segments.length - 1] ?? "";
  const appAt = segments.lastIndexOf("app");
  const pagesAt = segments.lastIndexOf("pages");
  if (appAt !== -1 && /^route\.[cm]?[jt]sx?$/.test(name)) {
    const route =
      "/" +
      segments
        .slice(appAt + 1, -1)
        .filter((s) => !/^\(.*\)$/.test(s) && !s.startsWith("@"))
        .join("/");
    const exported = exportedNames(file.sourceFile);
    const methods = NEXT_METHODS.filter((m) => exported.has(m));
    if (methods.length === 0) return [];
    const handler = file.functions.find((f) => f.name !== null && methods.includes(f.name))?.node ?? null;
    return [{ language: "js", file, path: file.path, line: 1, route, methods, handler }];
  }
  if (pagesAt !== -1 && segments[pagesAt + 1] === "api") {
    const route =
      "/" +
      segments
        .slice(pagesAt + 1)
        .join("/")
        .replace(/\.[cm]?[jt]sx?$/, "")
        .replace(/\/index$/, "");
    return [{ language: "js", file, path: file.path, line: 1, route, methods: ["*"], handler: null }];
  }
  return [];
}

function exportedNames(sf: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const s of sf.statements) {
    const exported = ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (exported && ts.isFunctionDeclaration(s) && s.name) names.add(s.name.text);
    if (exported && ts.isVariableStatement(s))
      for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) names.add(d.name.text);
    if (ts.isExportDeclaration(s) && s.exportClause && ts.isNamedExports(s.exportClause))
      for (const e of s.exportClause.elements) names.add(e.name.text);
  }
  return names;
}

function pyRoutes(file: PyFileIndex): PyRoute[] {
  const out: PyRoute[] = [];
  for (const fn of file.functions) {
    for (const d of fn.decoratorNodes) {
      if (d.type !== "call") continue;
      const callee = dottedName(d.childForFieldName("function"));
      if (!callee) continue;
      const method = callee.slice(callee.lastIndexOf(".") + 1);
      if (!PY_ROUTE_METHODS.has(method) || !callee.includes(".")) continue;
      const route = stringContent(positionalArgs(d)[0]);
      if (route === null || !route.startsWith("/")) continue;
      const listed = stringList(keywordArgs(d).get("methods"));
      const methods = listed
        ? listed.map((m) => m.toUpperCase())
        : ["route", "api_route", "custom_route"].includes(method)
          ? ["GET"]
          : [method.toUpperCase()];
      out.push({ language: "py", file, path: file.path, line: pyLine(d), route, methods, handler: fn.node });
    }
  }
  for (const { node, callee } of file.calls) {
    if (callee !== "Route" && callee !== "routing.Route" && callee !== "starlette.routing.Route") continue;
    const args = positionalArgs(node);
    const route = stringContent(args[0]);
    if (route === null) continue;
    const kw = keywordArgs(node);
    const endpoint = kw.get("endpoint") ?? args[1];
    const handlerName = endpoint?.type === "identifier" ? endpoint.text : null;
    const listed = stringList(kw.get("methods"));
    out.push({
      language: "py",
      file,
      path: file.path,
      line: pyLine(node),
      route,
      methods: listed ? listed.map((m) => m.toUpperCase()) : ["GET"],
      handler: handlerName ? (file.functions.find((f) => f.name === handlerName)?.node ?? null) : null,
    });
  }
  return out;
}
