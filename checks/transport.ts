// The MCP HTTP transport: DNS-rebinding protection left on with real allowed hosts, and no CORS wildcard with credentials.
import { lineOf, ts } from "@/lib/engine/parse/js";
import {
  enclosingFunction,
  hasSpread,
  isBooleanLiteral,
  jsIndex,
  objectProperty,
  stringValue,
  unwrap,
  type JsFileIndex,
} from "@/lib/engine/parse/js-index";
import { keywordArgs, positionalArgs, pyIndex, pyLine, stringContent, stringList } from "@/lib/engine/parse/py-index";
import { isTestPath } from "@/lib/engine/parse/source-kind";
import { codeCoverageProblem } from "@/lib/engine/parse/coverage";
import { codeFinding, finish } from "./evidence";
import { defineRule } from "./rule";
import type { Check } from "./types";
import type { Finding } from "@/lib/core/types";

const ITEM = "network.transport-hardening";

export const rules = {
  dnsRebindingOff: defineRule({
    id: "transport/dns-rebinding-disabled",
    severity: "high",
    title: "DNS-rebinding protection switched off on the HTTP transport",
    rationale:
      "Without Host and Origin checks, a web page the user visits can rebind its own domain to the server's address and drive the MCP endpoint from the user's browser, reaching servers on localhost or a private network.",
    remediation:
      'Turn the protection on and list the hosts the server answers to: `enableDnsRebindingProtection: true, allowedHosts: ["mcp.example.com"]` (TypeScript) or `TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=[...])` (Python).',
    item: ITEM,
  }),
  emptyAllowedHosts: defineRule({
    id: "transport/empty-allowed-hosts",
    severity: "moderate",
    title: "DNS-rebinding protection on, but no allowed hosts",
    rationale:
      "The TypeScript SDK checks the Host header only against a non-empty allowedHosts list; with none, every Host passes and the protection does nothing.",
    remediation:
      "List the host names (with port where relevant) the server is reached at in `allowedHosts`, and the expected origins in `allowedOrigins`.",
    item: ITEM,
  }),
  corsCredentials: defineRule({
    id: "transport/cors-any-origin-with-credentials",
    severity: "high",
    title: "CORS allows any origin together with credentials",
    rationale:
      "When the server echoes any origin back with credentials allowed, every website can make credentialed requests from a signed-in user's browser and read the answers. A literal `*` with credentials is refused by browsers, so that setting is either broken or one edit away from echoing the origin.",
    remediation:
      'Allow an explicit list of origins when credentials are needed (`origin: ["https://chatgpt.com"]`), or keep `*` and drop credentials: bearer tokens in an Authorization header don\'t need them.',
    item: ITEM,
  }),
};

const ACAO = "access-control-allow-origin";
const ACAC = "access-control-allow-credentials";
const SET_HEADER = new Set(["setHeader", "header", "set", "append", "appendHeader"]);

interface HeaderSetting {
  name: typeof ACAO | typeof ACAC;
  value: ts.Expression;
  node: ts.Node;
  scope: ts.Node;
}

export const transportCheck: Check = {
  id: "transport",
  title: "HTTP transport: DNS-rebinding protection and CORS",
  section: "network",
  rules: Object.values(rules),
  async run({ facts }) {
    const unreadable = await codeCoverageProblem(facts);
    if (unreadable) return { status: "unavailable", findings: [], error: `Could not read the code: ${unreadable}.` };
    const findings: Finding[] = [];
    for (const file of jsIndex(facts)) {
      if (isTestPath(file.path)) continue;
      const at = (node: ts.Node) => ({ path: file.path, line: lineOf(node, file.sourceFile), text: file.text });
      for (const { name, node } of file.properties) {
        if (name !== "enableDnsRebindingProtection" || !ts.isPropertyAssignment(node)) continue;
        const object = node.parent;
        if (isBooleanLiteral(node.initializer, false)) {
          findings.push(
            codeFinding(rules.dnsRebindingOff, { ...at(node), message: "`enableDnsRebindingProtection: false` on the transport." }),
          );
        } else if (isBooleanLiteral(node.initializer, true) && ts.isObjectLiteralExpression(object) && !hasSpread(object)) {
          const hosts = objectProperty(object, "allowedHosts");
          const list = hosts ? unwrap(hosts) : undefined;
          if (!hosts || (list && ts.isArrayLiteralExpression(list) && list.elements.length === 0)) {
            findings.push(
              codeFinding(rules.emptyAllowedHosts, {
                ...at(node),
                message: "DNS-rebinding protection is on, but `allowedHosts` is missing or empty, so no Host header is rejected.",
              }),
            );
          }
        }
      }
      findings.push(...jsCors(file));
    }

    for (const file of await pyIndex(facts)) {
      if (isTestPath(file.path)) continue;
      for (const { node, callee } of file.calls) {
        const kw = keywordArgs(node);
        if (kw.get("enable_dns_rebinding_protection")?.type === "false") {
          findings.push(
            codeFinding(rules.dnsRebindingOff, {
              path: file.path,
              line: pyLine(node),
              text: file.text,
              message: "`enable_dns_rebinding_protection=False` on the transport.",
            }),
          );
        }
        const last = callee?.slice(callee.lastIndexOf(".") + 1);
        const middleware = last === "add_middleware" || last === "Middleware" ? positionalArgs(node)[0]?.text : undefined;
        if (middleware?.endsWith("CORSMiddleware") && kw.get("allow_credentials")?.type === "true") {
          const origins = stringList(kw.get("allow_origins"));
          const regex = stringContent(kw.get("allow_origin_regex"));
          if (origins?.includes("*") || regex === ".*" || regex === ".+") {
            findings.push(
              codeFinding(rules.corsCredentials, {
                path: file.path,
                line: pyLine(node),
                text: file.text,
                message: "CORSMiddleware allows every origin with `allow_credentials=True`; Starlette then echoes the caller's origin.",
              }),
            );
          }
        } else if (callee === "CORS" && kw.get("supports_credentials")?.type === "true") {
          const origins = kw.get("origins") ?? kw.get("resources");
          if (!origins || stringContent(origins) === "*" || stringList(origins)?.includes("*")) {
            findings.push(
              codeFinding(rules.corsCredentials, {
                path: file.path,
                line: pyLine(node),
                text: file.text,
                message: "Flask-CORS with `supports_credentials=True` and every origin allowed.",
              }),
            );
          }
        }
      }
    }
    return finish(findings);
  },
};

function jsCors(file: JsFileIndex): Finding[] {
  const findings: Finding[] = [];
  const at = (node: ts.Node) => ({ path: file.path, line: lineOf(node, file.sourceFile), text: file.text });

  // cors({ origin: "*", credentials: true }) — express `cors`, Hono `cors`, Fastify `@fastify/cors` options.
  for (const { node, callee } of file.calls) {
    if (!callee) continue;
    const last = callee.slice(callee.lastIndexOf(".") + 1);
    let options: ts.Expression | undefined;
    if (last === "cors" && ts.isCallExpression(node)) options = node.arguments[0];
    else if (
      last === "register" &&
      ts.isCallExpression(node) &&
      node.arguments[0] &&
      /cors/i.test(node.arguments[0].getText(file.sourceFile))
    )
      options = node.arguments[1];
    else if (last === "enableCors" && ts.isCallExpression(node)) options = node.arguments[0];
    const object = options ? unwrap(options) : undefined;
    if (!object || !ts.isObjectLiteralExpression(object)) continue;
    if (!isBooleanLiteral(objectProperty(object, "credentials"), true)) continue;
    const origin = objectProperty(object, "origin");
    if (origin && (stringValue(origin) === "*" || isBooleanLiteral(origin, true))) {
      const literal = stringValue(origin) === "*";
      findings.push(
        codeFinding(rules.corsCredentials, {
          ...at(node),
          message: literal
            ? "CORS allows every origin (`*`) with `credentials: true`."
            : "CORS echoes every caller's origin (`origin: true`) with `credentials: true`.",
          ...(literal ? { severity: "moderate" as const } : {}),
        }),
      );
    }
  }

  // Headers set by hand in the same function: res.setHeader("Access-Control-Allow-Origin", "*") + credentials "true".
  const settings: HeaderSetting[] = [];
  for (const { node, callee } of file.calls) {
    if (!callee || !ts.isCallExpression(node) || node.arguments.length < 2) continue;
    if (!SET_HEADER.has(callee.slice(callee.lastIndexOf(".") + 1))) continue;
    const name = stringValue(node.arguments[0])?.toLowerCase();
    if (name === ACAO || name === ACAC) settings.push({ name, value: node.arguments[1]!, node, scope: enclosingFunction(node) });
  }
  for (const { name, node } of file.properties) {
    if (!ts.isPropertyAssignment(node)) continue;
    const lower = name.toLowerCase();
    if (lower === ACAO || lower === ACAC) settings.push({ name: lower, value: node.initializer, node, scope: enclosingFunction(node) });
    // Next.js config: { key: "Access-Control-Allow-Origin", value: "*" }
    if (lower === "key" && ts.isObjectLiteralExpression(node.parent)) {
      const key = stringValue(node.initializer)?.toLowerCase();
      const value = objectProperty(node.parent, "value");
      if ((key === ACAO || key === ACAC) && value) settings.push({ name: key, value, node: node.parent, scope: enclosingFunction(node) });
    }
  }
  const byScope = new Map<ts.Node, HeaderSetting[]>();
  for (const s of settings) byScope.set(s.scope, [...(byScope.get(s.scope) ?? []), s]);
  for (const group of byScope.values()) {
    const any = group.find((s) => s.name === ACAO && stringValue(s.value) === "*");
    const creds = group.find((s) => s.name === ACAC && (stringValue(s.value)?.toLowerCase() === "true" || isBooleanLiteral(s.value, true)));
    if (any && creds) {
      findings.push(
        codeFinding(rules.corsCredentials, {
          ...at(any.node),
          message: "`Access-Control-Allow-Origin: *` is sent together with `Access-Control-Allow-Credentials: true`.",
          severity: "moderate",
        }),
      );
    }
  }
  return findings;
}
