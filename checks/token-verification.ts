// Bearer token handling: signatures, algorithms, expiry and audience verified; no verifier that accepts anything;
// no tokens from query strings, none passed on to other services, and no static shared key instead of user tokens.
import { lineOf, ts } from "@/lib/engine/parse/js";
import { hasSpread, isBooleanLiteral, memberName, objectProperty, stringValue, unwrap, type JsFileIndex } from "@/lib/engine/parse/js-index";
import { outboundCalls, type JsOutboundCall, type PyOutboundCall } from "@/lib/engine/parse/outbound";
import {
  dottedName,
  hasSplat,
  keywordArgs,
  memberPath,
  positionalArgs,
  pyIndex,
  pyLine,
  stringContent,
  stringList,
  type PyFileIndex,
} from "@/lib/engine/parse/py-index";
import type { PyNode } from "@/lib/engine/parse/python";
import { isCredentialName, isQueryTokenName, isSecretEnvName, normalizeName } from "@/lib/engine/facts/names";
import { isTestPath } from "@/lib/engine/parse/source-kind";
import { isPlaceholder } from "@/lib/engine/secrets";
import { redactSecret, shannonEntropy } from "@/lib/engine/text";
import { codeCoverageProblem } from "@/lib/engine/parse/coverage";
import { codeFinding, finish, lineOfText } from "./evidence";
import { defineRule } from "./rule";
import type { Check } from "./types";
import type { Finding } from "@/lib/core/types";
import { serverJsFiles } from "@/lib/engine/parse/server-code";

const ITEM = "auth.token-validation";

export const rules = {
  decodeWithoutVerify: defineRule({
    id: "token/decode-without-verify",
    severity: "high",
    title: "Token decoded without verifying its signature",
    rationale:
      "Decoding only reads the claims; anyone can write a token with any user, scope or expiry in it. Trusting decoded claims lets callers act as anyone.",
    remediation:
      "Verify the token: `jwtVerify(token, createRemoteJWKSet(jwksUrl), { issuer, audience })` (jose), `jwt.verify(token, key, { algorithms, audience, issuer })` (jsonwebtoken), `jwt.decode(token, key, algorithms=[...], audience=...)` (PyJWT).",
    item: ITEM,
  }),
  algNone: defineRule({
    id: "token/alg-none",
    severity: "critical",
    title: 'Unsigned tokens (alg "none") accepted',
    rationale: "With the none algorithm a token needs no signature at all: anyone can mint one with any claims.",
    remediation: 'Accept only the algorithms your issuer signs with, e.g. `algorithms: ["RS256"]`, and never "none".',
    item: ITEM,
  }),
  ignoreExpiration: defineRule({
    id: "token/ignore-expiration",
    severity: "high",
    title: "Token expiry not checked",
    rationale: "Expired tokens keep working forever, so a token leaked once (from a log, a proxy, a laptop) is never revoked by time.",
    remediation: "Remove `ignoreExpiration: true` / `verify_exp: False`; keep clock tolerance to a few seconds.",
    item: ITEM,
  }),
  noAudience: defineRule({
    id: "token/no-audience-check",
    severity: "moderate",
    title: "Token audience not checked",
    rationale:
      "Without an audience check the server accepts tokens the same issuer minted for other services, so a token handed to any other app of that issuer works here too (the confused-deputy problem the MCP spec warns about).",
    remediation:
      "Pass this server's resource URL as the expected audience: `{ audience: RESOURCE_URL }` / `audience=RESOURCE_URL`, and reject tokens without it.",
    item: ITEM,
  }),
  acceptsAny: defineRule({
    id: "token/accepts-any-token",
    severity: "critical",
    title: "Token verifier accepts any token",
    rationale:
      "The verifier returns an identity without checking a signature, calling an introspection endpoint or comparing anything: every string is a valid token.",
    remediation:
      "Verify the token against the issuer (JWKS signature check or token introspection), check expiry, audience and scopes, and throw or return null for anything else.",
    item: ITEM,
  }),
  queryString: defineRule({
    id: "token/query-string",
    severity: "high",
    title: "Token read from the query string",
    rationale:
      "URLs are written to access logs, proxies, browser history and Referer headers: a token in the query string leaks to all of them. OAuth 2.1 forbids it for bearer tokens.",
    remediation: "Accept bearer tokens only in the Authorization header.",
    item: ITEM,
  }),
  passthrough: defineRule({
    id: "token/passthrough",
    severity: "high",
    title: "Caller's token passed through to another service",
    rationale:
      "A token issued for this MCP server must not be replayed to other APIs: it skips their audience checks, breaks accountability, and makes this server a confused deputy. The MCP specification forbids token passthrough.",
    remediation:
      "Call upstream APIs with a token issued for them: exchange the caller's token (RFC 8693 token exchange) or use the upstream OAuth grant stored for this user, and validate this server's own tokens only for this server.",
    item: ITEM,
  }),
  sharedSecret: defineRule({
    id: "token/static-shared-secret",
    severity: "moderate",
    title: "Callers authenticated with one static shared key",
    rationale:
      "A single long-lived key shared by every caller can't be scoped, expired or traced to a user, and one leak opens the connector to everyone. The guidance asks for the platform's auth context (OAuth) instead of long-lived secrets.",
    remediation:
      "Authenticate users with OAuth 2.1 access tokens (per user, scoped, expiring) verified on every request, and drop the shared key.",
    item: "auth.no-long-lived-secrets",
  }),
};

const DECODERS = new Set(["jwt.decode", "jsonwebtoken.decode", "jwtDecode", "decodeJwt", "jose.decodeJwt", "jwt_decode"]);
const VERIFIERS = /(?:^|\.)(?:verify|jwtVerify|compactVerify|verifyToken|verifyAccessToken|verifyJwt|verifyJWT|introspect\w*)$/;
const VERIFIER_NAMES = /^(?:verify|validate|check)(?:Access|Bearer|Auth)?Token$|^verifyAccessToken$/;
const PY_VERIFIER_NAMES = new Set(["verify_token", "verify_access_token", "validate_token", "load_access_token", "check_token"]);
// Calls that can't be a verification: formatting, time, logging.
const TRIVIAL_CALLS =
  /^(?:Date\.now|Math\.\w+|String|Number|Boolean|Promise\.resolve|JSON\.parse|JSON\.stringify|Buffer\.from|atob|console\.\w+|\w*log(?:ger)?\.\w+|[\w.]*\.(?:split|slice|trim|toString|replace|toLowerCase|toUpperCase|substring|map|join))$/;
const PY_TRIVIAL_CALLS =
  /^(?:AccessToken|int|str|float|dict|list|set|bool|len|time\.time|datetime\.\w+|json\.loads|json\.dumps|base64\.\w+|logging\.\w+|\w*log(?:ger)?\.\w+|print|[\w.]*\.(?:split|strip|decode|encode|lower|upper))$/;

export const tokenVerificationCheck: Check = {
  id: "token-verification",
  title: "Token verification: signature, expiry, audience; no passthrough or query-string tokens",
  section: "auth",
  rules: Object.values(rules),
  async run({ facts }) {
    const unreadable = await codeCoverageProblem(facts);
    if (unreadable) return { status: "unavailable", findings: [], error: `Could not read the code: ${unreadable}.` };
    const findings: Finding[] = [];
    const jsFiles = serverJsFiles(facts);
    for (const file of jsFiles) findings.push(...jsRules(file));
    const pyFiles = (await pyIndex(facts)).filter((f) => !isTestPath(f.path));
    for (const file of pyFiles) findings.push(...pyRules(file));
    findings.push(...passthrough(await outboundCalls(facts), jsFiles, pyFiles));
    return finish(findings);
  },
};

// JavaScript rules

function jsRules(file: JsFileIndex): Finding[] {
  const findings: Finding[] = [];
  const at = (node: ts.Node, message: string, severity?: Finding["severity"]) => ({
    path: file.path,
    line: lineOf(node, file.sourceFile),
    text: file.text,
    message,
    ...(severity ? { severity } : {}),
  });
  const verifies = file.calls.some((c) => c.callee !== null && VERIFIERS.test(c.callee));

  for (const { node, callee } of file.calls) {
    if (!callee || !ts.isCallExpression(node)) continue;
    if (DECODERS.has(callee) && !verifies) {
      findings.push(
        codeFinding(
          rules.decodeWithoutVerify,
          at(node, `\`${callee}()\` reads the token's claims, and nothing in this file verifies the signature.`),
        ),
      );
    }
    const last = callee.slice(callee.lastIndexOf(".") + 1);
    if (callee === "jwt.verify" || callee === "jsonwebtoken.verify" || last === "jwtVerify") {
      const optionsArg = node.arguments[2];
      const options = optionsArg ? unwrap(optionsArg) : undefined;
      const missing =
        !options ||
        ts.isFunctionLike(options) ||
        (ts.isObjectLiteralExpression(options) && !objectProperty(options, "audience") && !hasSpread(options));
      if (missing) findings.push(codeFinding(rules.noAudience, at(node, `\`${callee}()\` verifies the signature but not the audience.`)));
    }
    // Query-string tokens: url.searchParams.get("token"), c.req.query("access_token").
    if (
      (callee.endsWith("searchParams.get") || callee.endsWith("req.query") || callee.endsWith("query.get")) &&
      isQueryTokenName(stringValue(node.arguments[0]) ?? "")
    ) {
      const name = stringValue(node.arguments[0])!;
      findings.push(
        codeFinding(
          rules.queryString,
          at(node, `The \`${name}\` query parameter is read as a credential.`, normalizeName(name) === "token" ? "moderate" : undefined),
        ),
      );
    }
  }

  for (const access of file.accesses) {
    const name = memberName(access);
    if (name === null) continue;
    const parts = name.split(".");
    const last = parts[parts.length - 1]!;
    if (parts.length >= 3 && parts[parts.length - 2] === "query" && isQueryTokenName(last) && !isAssignmentTarget(access)) {
      findings.push(
        codeFinding(
          rules.queryString,
          at(access, `\`${name}\` takes a credential from the query string.`, normalizeName(last) === "token" ? "moderate" : undefined),
        ),
      );
    }
  }

  for (const { name, node } of file.properties) {
    if (!ts.isPropertyAssignment(node)) continue;
    if ((name === "algorithms" || name === "algorithm" || name === "alg") && allowsNone(node.initializer)) {
      findings.push(codeFinding(rules.algNone, at(node, 'The accepted algorithms include "none".')));
    } else if (name === "ignoreExpiration" && isBooleanLiteral(node.initializer, true)) {
      findings.push(codeFinding(rules.ignoreExpiration, at(node, "`ignoreExpiration: true` accepts expired tokens.")));
    }
  }

  for (const fn of file.functions) {
    if (!fn.name || !VERIFIER_NAMES.test(fn.name)) continue;
    if (acceptsAnything(fn.node)) {
      findings.push(
        codeFinding(rules.acceptsAny, at(fn.node.name ?? fn.node, `\`${fn.name}\` returns an identity without checking the token.`)),
      );
    }
  }
  for (const { node, callee } of file.calls) {
    if (callee !== "withMcpAuth" || !ts.isCallExpression(node)) continue;
    const verifier = node.arguments[1] ? unwrap(node.arguments[1]) : undefined;
    if (verifier && (ts.isArrowFunction(verifier) || ts.isFunctionExpression(verifier)) && acceptsAnything(verifier)) {
      findings.push(
        codeFinding(rules.acceptsAny, at(verifier, "The verifier given to `withMcpAuth` returns an identity without checking the token.")),
      );
    }
  }

  for (const cmp of file.comparisons) {
    if (sharedSecretCompare(cmp.left, cmp.right) || sharedSecretCompare(cmp.right, cmp.left)) {
      findings.push(
        codeFinding(rules.sharedSecret, {
          ...at(cmp, "The caller's credential is compared with one fixed key from the configuration."),
          evidence: redactLiterals(lineOfText(file.text, lineOf(cmp, file.sourceFile)).trim()),
        }),
      );
    }
  }
  for (const { node, callee } of file.calls) {
    if (!callee?.endsWith("timingSafeEqual") || !ts.isCallExpression(node)) continue;
    const [a, b] = node.arguments.map((x) => innerOfBufferFrom(x));
    if (a && b && (sharedSecretCompare(a, b) || sharedSecretCompare(b, a))) {
      findings.push(
        codeFinding(rules.sharedSecret, {
          ...at(node, "The caller's credential is compared with one fixed key from the configuration."),
          evidence: redactLiterals(lineOfText(file.text, lineOf(node, file.sourceFile)).trim()),
        }),
      );
    }
  }
  return findings;
}

function isAssignmentTarget(node: ts.Node): boolean {
  const p = node.parent;
  return ts.isBinaryExpression(p) && p.left === node && p.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

function allowsNone(e: ts.Expression): boolean {
  const u = unwrap(e);
  if (ts.isArrayLiteralExpression(u)) return u.elements.some((x) => stringValue(x)?.toLowerCase() === "none");
  return stringValue(u)?.toLowerCase() === "none";
}

function innerOfBufferFrom(e: ts.Expression): ts.Expression {
  const u = unwrap(e);
  if (ts.isCallExpression(u) && u.expression.getText().endsWith("Buffer.from") && u.arguments[0]) return u.arguments[0];
  return u;
}

/** Whether a function body could not possibly verify a token: no branch, throw, await or non-trivial call. */
function acceptsAnything(fn: ts.FunctionLikeDeclaration): boolean {
  if (!fn.body) return false;
  let suspicious = false;
  let returnsSomething = !ts.isBlock(fn.body);
  const stack: ts.Node[] = [fn.body];
  let budget = 2000;
  while (stack.length > 0 && !suspicious && budget-- > 0) {
    const n = stack.pop()!;
    if (
      ts.isIfStatement(n) ||
      ts.isConditionalExpression(n) ||
      ts.isThrowStatement(n) ||
      ts.isSwitchStatement(n) ||
      ts.isAwaitExpression(n) ||
      ts.isTryStatement(n) ||
      (ts.isBinaryExpression(n) &&
        [
          ts.SyntaxKind.AmpersandAmpersandToken,
          ts.SyntaxKind.BarBarToken,
          ts.SyntaxKind.EqualsEqualsEqualsToken,
          ts.SyntaxKind.ExclamationEqualsEqualsToken,
        ].includes(n.operatorToken.kind))
    ) {
      suspicious = true;
      break;
    }
    if (ts.isCallExpression(n) || ts.isNewExpression(n)) {
      const callee = n.expression.getText().slice(0, 100);
      if (!TRIVIAL_CALLS.test(callee)) {
        suspicious = true;
        break;
      }
    }
    if (
      ts.isReturnStatement(n) &&
      n.expression &&
      n.expression.kind !== ts.SyntaxKind.NullKeyword &&
      n.expression.kind !== ts.SyntaxKind.FalseKeyword
    )
      returnsSomething = true;
    ts.forEachChild(n, (c) => {
      stack.push(c);
    });
  }
  return !suspicious && budget > 0 && returnsSomething;
}

/** `token === process.env.API_KEY`: the left side is the caller's credential, the right a configured secret. */
function sharedSecretCompare(credential: ts.Expression, secret: ts.Expression): boolean {
  const c = memberName(credential);
  if (c === null) return false;
  const cLast = c.slice(c.lastIndexOf(".") + 1);
  const isCallerCredential = isCredentialName(cLast) && !/^(?:process\.env|env|config|settings)\./.test(c) && !/^[A-Z0-9_]+$/.test(cLast);
  if (!isCallerCredential) return false;
  const u = unwrap(secret);
  if (ts.isTemplateExpression(u)) return u.templateSpans.some((s) => isConfiguredSecret(s.expression));
  return isConfiguredSecret(u);
}

function isConfiguredSecret(e: ts.Expression): boolean {
  // A hard-coded key; its value is redacted in the evidence.
  const literal = stringValue(e);
  if (literal !== null) return looksLikeKey(literal);
  const name = memberName(e);
  if (name === null) return false;
  const last = name.slice(name.lastIndexOf(".") + 1);
  if (/^(?:process\.env|env|config|settings|Config|CONFIG)\./.test(name)) return isSecretEnvName(last) || isCredentialName(last);
  // Module constants in SCREAMING_CASE: const API_KEY = process.env.API_KEY.
  return /^[A-Z][A-Z0-9_]*$/.test(name) && isSecretEnvName(name);
}

/** A literal that looks like a key: long, high-entropy, letters and digits, not a word-like label ("awaiting-input"). */
function looksLikeKey(value: string): boolean {
  return (
    value.length >= 12 &&
    value.length <= 200 &&
    !/\s/.test(value) &&
    /\d/.test(value) &&
    /[A-Za-z]/.test(value) &&
    !/^[a-z]+(?:[._-][a-z0-9]+)+$/i.test(value) &&
    !isPlaceholder(value) &&
    shannonEntropy(value) >= 3.5
  );
}

function redactLiterals(line: string): string {
  return line.replace(/(["'`])([^"'`]{6,200})\1/g, (_, q: string, v: string) => `${q}${redactSecret(v)}${q}`).slice(0, 160);
}

// Python rules

function pyRules(file: PyFileIndex): Finding[] {
  const findings: Finding[] = [];
  const at = (node: PyNode, message: string, severity?: Finding["severity"]) => ({
    path: file.path,
    line: pyLine(node),
    text: file.text,
    message,
    ...(severity ? { severity } : {}),
  });
  const decodeCalls = file.calls.filter((c) => c.callee === "jwt.decode" || c.callee === "jose.jwt.decode");
  const optionOff = (call: PyNode, key: string): boolean => {
    const options = keywordArgs(call).get("options");
    if (!options || options.type !== "dictionary") return false;
    return options.namedChildren.some(
      (p) => p?.type === "pair" && stringContent(p.childForFieldName("key")) === key && p.childForFieldName("value")?.type === "false",
    );
  };
  const unverified = (call: PyNode) => optionOff(call, "verify_signature") || keywordArgs(call).get("verify")?.type === "false";
  const anyVerified = decodeCalls.some((c) => !unverified(c.node));

  for (const { node, callee } of file.calls) {
    if (!callee) continue;
    const kw = keywordArgs(node);
    if (callee === "jwt.decode" || callee === "jose.jwt.decode") {
      if (unverified(node)) {
        if (!anyVerified)
          findings.push(codeFinding(rules.decodeWithoutVerify, at(node, "`jwt.decode` is called with signature verification off.")));
      } else {
        if (optionOff(node, "verify_exp"))
          findings.push(codeFinding(rules.ignoreExpiration, at(node, "`verify_exp: False` accepts expired tokens.")));
        if (optionOff(node, "verify_aud"))
          findings.push(codeFinding(rules.noAudience, at(node, "`verify_aud: False` accepts tokens meant for other services.")));
        else if (!kw.has("audience") && !hasSplat(node))
          findings.push(codeFinding(rules.noAudience, at(node, "`jwt.decode` verifies the token but is given no `audience`.")));
      }
      if (stringList(kw.get("algorithms"))?.some((a) => a.toLowerCase() === "none"))
        findings.push(codeFinding(rules.algNone, at(node, 'The accepted algorithms include "none".')));
    } else if (callee === "jwt.get_unverified_claims" || callee === "jose.jwt.get_unverified_claims") {
      if (!anyVerified)
        findings.push(
          codeFinding(
            rules.decodeWithoutVerify,
            at(node, `\`${callee}\` reads the claims, and nothing in this file verifies the signature.`),
          ),
        );
    }
    // request.query_params.get("token"), request.args.get("access_token"), request.GET["token"]
    const path = node.childForFieldName("function")?.text.endsWith(".get") ? memberPath(node) : null;
    if (path) flagQuery(path, node);
  }
  for (const sub of file.text.includes("query_params") || file.text.includes(".args") || file.text.includes(".GET")
    ? subscripts(file)
    : []) {
    const path = memberPath(sub);
    if (path) flagQuery(path, sub);
  }
  function flagQuery(path: string, node: PyNode) {
    const parts = path.split(".");
    const last = parts[parts.length - 1]!;
    const owner = parts[parts.length - 2] ?? "";
    if (parts.length >= 3 && ["query_params", "args", "GET", "query"].includes(owner) && isQueryTokenName(last)) {
      findings.push(
        codeFinding(
          rules.queryString,
          at(node, `The \`${last}\` query parameter is read as a credential.`, normalizeName(last) === "token" ? "moderate" : undefined),
        ),
      );
    }
  }

  for (const fn of file.functions) {
    // FastAPI: def route(token: str = Query(...))
    for (const param of fn.node.childForFieldName("parameters")?.namedChildren ?? []) {
      if (param?.type !== "default_parameter" && param?.type !== "typed_default_parameter") continue;
      const name = param.childForFieldName("name")?.text ?? "";
      const value = param.childForFieldName("value");
      if (value?.type === "call" && dottedName(value.childForFieldName("function"))?.endsWith("Query") && isQueryTokenName(name)) {
        findings.push(
          codeFinding(
            rules.queryString,
            at(
              param,
              `The \`${name}\` parameter is declared as a query parameter.`,
              normalizeName(name) === "token" ? "moderate" : undefined,
            ),
          ),
        );
      }
    }
    if (PY_VERIFIER_NAMES.has(fn.name) && pyAcceptsAnything(fn.node)) {
      findings.push(codeFinding(rules.acceptsAny, at(fn.node, `\`${fn.name}\` returns an access token without checking it.`)));
    }
  }

  for (const cmp of file.comparisons) {
    const operands = cmp.namedChildren.filter((c): c is PyNode => c !== null);
    const ops = cmp.children.filter((c) => c !== null && (c.type === "==" || c.type === "!=")).length;
    if (operands.length !== 2 || ops !== 1) continue;
    const [a, b] = operands as [PyNode, PyNode];
    if (pySharedSecret(a, b) || pySharedSecret(b, a)) {
      findings.push(
        codeFinding(rules.sharedSecret, {
          ...at(cmp, "The caller's credential is compared with one fixed key from the configuration."),
          evidence: redactLiterals(lineOfText(file.text, pyLine(cmp)).trim()),
        }),
      );
    }
  }
  for (const { node, callee } of file.calls) {
    if (callee !== "hmac.compare_digest" && callee !== "secrets.compare_digest") continue;
    const [a, b] = positionalArgs(node).map(stripEncode);
    if (a && b && (pySharedSecret(a, b) || pySharedSecret(b, a))) {
      findings.push(
        codeFinding(rules.sharedSecret, {
          ...at(node, "The caller's credential is compared with one fixed key from the configuration."),
          evidence: redactLiterals(lineOfText(file.text, pyLine(node)).trim()),
        }),
      );
    }
  }
  return findings;
}

function subscripts(file: PyFileIndex): PyNode[] {
  return file.root.descendantsOfType("subscript").filter((s): s is PyNode => s !== null);
}

function stripEncode(node: PyNode): PyNode {
  if (node.type === "call") {
    const fn = node.childForFieldName("function");
    if (fn?.type === "attribute" && fn.childForFieldName("attribute")?.text === "encode") return fn.childForFieldName("object") ?? node;
  }
  return node;
}

function pySharedSecret(credential: PyNode, secret: PyNode): boolean {
  const c = memberPath(credential);
  if (c === null) return false;
  const last = c.slice(c.lastIndexOf(".") + 1);
  if (!isCredentialName(last) || /^(?:os\.environ|settings|config)\./.test(c) || /^[A-Z0-9_]+$/.test(last)) return false;
  if (secret.type === "call") {
    const callee = dottedName(secret.childForFieldName("function"));
    if (callee === "os.getenv" || callee === "os.environ.get") return isSecretEnvName(stringContent(positionalArgs(secret)[0]) ?? "");
    return false;
  }
  const literal = stringContent(secret);
  if (literal !== null) return looksLikeKey(literal);
  const s = memberPath(secret);
  if (s === null) return false;
  const sLast = s.slice(s.lastIndexOf(".") + 1);
  if (/^(?:os\.environ|settings|config)\./.test(s)) return isSecretEnvName(sLast) || isCredentialName(sLast);
  return /^[A-Z][A-Z0-9_]*$/.test(s) && isSecretEnvName(s);
}

function pyAcceptsAnything(fn: PyNode): boolean {
  const body = fn.childForFieldName("body");
  if (!body) return false;
  const blocking = body.descendantsOfType([
    "if_statement",
    "raise_statement",
    "await",
    "try_statement",
    "assert_statement",
    "comparison_operator",
    "conditional_expression",
    "boolean_operator",
    "match_statement",
  ]);
  if (blocking.length > 0) return false;
  for (const call of body.descendantsOfType("call")) {
    const callee = dottedName(call?.childForFieldName("function")) ?? call?.childForFieldName("function")?.text ?? "";
    if (!PY_TRIVIAL_CALLS.test(callee.slice(0, 120))) return false;
  }
  return body.descendantsOfType("return_statement").some((r) => {
    const v = r?.namedChildren[0];
    return v !== undefined && v !== null && v.type !== "none" && v.type !== "false";
  });
}

// Passthrough: the caller's token sent on as the Authorization of an outbound call.

const JS_CALLER_TOKEN = /authInfo\??\.token|(?:req|request)\.headers\??\.authorization|headers\.get\(["']authorization["']\)/i;
const PY_CALLER_TOKEN = /get_access_token\(\)|request\.headers(?:\.get\(|\[)["']authorization["']|access_token\.token/i;

function passthrough(
  calls: readonly (JsOutboundCall | PyOutboundCall)[],
  jsFiles: readonly JsFileIndex[],
  pyFiles: readonly PyFileIndex[],
): Finding[] {
  const findings: Finding[] = [];
  // Functions whose outbound Authorization header is built from one of their parameters: name -> parameter index.
  const jsForwarders = new Map<string, { index: number; call: JsOutboundCall }>();
  const pyForwarders = new Map<string, { index: number; call: PyOutboundCall }>();

  for (const call of calls) {
    if (call.forwardedHeaders) {
      const text = call.language === "js" ? call.forwardedHeaders.getText() : call.forwardedHeaders.text;
      findings.push(
        codeFinding(rules.passthrough, {
          path: call.path,
          line: call.line,
          text: call.file.text,
          message: `This ${call.library} call forwards the incoming request's headers (\`${text.slice(0, 60)}\`), Authorization included.`,
        }),
      );
      continue;
    }
    if (!call.authorization) continue;
    if (call.language === "js") {
      const text = call.authorization.getText();
      if (JS_CALLER_TOKEN.test(text)) {
        findings.push(
          codeFinding(rules.passthrough, {
            path: call.path,
            line: call.line,
            text: call.file.text,
            message: `This ${call.library} call sends the caller's own token (\`${text.slice(0, 60)}\`) to another service.`,
          }),
        );
        continue;
      }
      const fn = enclosingNamedFunction(call.node);
      if (fn) {
        const index = fn.node.parameters.findIndex(
          (p) => ts.isIdentifier(p.name) && referencesIdentifier(call.authorization!, p.name.text),
        );
        if (index !== -1) jsForwarders.set(fn.name, { index, call });
      }
    } else {
      const text = call.authorization.text;
      if (PY_CALLER_TOKEN.test(text)) {
        findings.push(
          codeFinding(rules.passthrough, {
            path: call.path,
            line: call.line,
            text: call.file.text,
            message: `This ${call.library} call sends the caller's own token to another service.`,
          }),
        );
        continue;
      }
      let fn: PyNode | null = call.node.parent;
      while (fn && fn.type !== "function_definition") fn = fn.parent;
      if (fn) {
        const params = (fn.childForFieldName("parameters")?.namedChildren ?? []).map(pyParamName);
        const offset = params[0] === "self" || params[0] === "cls" ? 1 : 0;
        const words = new Set(text.split(/[^A-Za-z0-9_]+/));
        const index = params.findIndex((p, i) => p !== "" && i >= offset && words.has(p));
        const name = fn.childForFieldName("name")?.text;
        if (index !== -1 && name) pyForwarders.set(name, { index: index - offset, call });
      }
    }
  }

  if (jsForwarders.size > 0) {
    for (const file of jsFiles) {
      for (const { node, callee } of file.calls) {
        if (!callee || !ts.isCallExpression(node)) continue;
        const forwarder = jsForwarders.get(callee.slice(callee.lastIndexOf(".") + 1));
        const arg = forwarder ? node.arguments[forwarder.index] : undefined;
        if (!forwarder || !arg || !JS_CALLER_TOKEN.test(arg.getText(file.sourceFile))) continue;
        findings.push(
          codeFinding(rules.passthrough, {
            path: file.path,
            line: lineOf(node, file.sourceFile),
            text: file.text,
            message: `The caller's token is handed to \`${callee}\`, which sends it as the Authorization header of a ${forwarder.call.library} call (${forwarder.call.path}:${forwarder.call.line}).`,
          }),
        );
      }
    }
  }
  if (pyForwarders.size > 0) {
    for (const file of pyFiles) {
      for (const { node, callee } of file.calls) {
        if (!callee) continue;
        const forwarder = pyForwarders.get(callee.slice(callee.lastIndexOf(".") + 1));
        const arg = forwarder ? positionalArgs(node)[forwarder.index] : undefined;
        if (!forwarder || !arg || !PY_CALLER_TOKEN.test(arg.text.slice(0, 300))) continue;
        findings.push(
          codeFinding(rules.passthrough, {
            path: file.path,
            line: pyLine(node),
            text: file.text,
            message: `The caller's token is handed to \`${callee}\`, which sends it as the Authorization header of a ${forwarder.call.library} call (${forwarder.call.path}:${forwarder.call.line}).`,
          }),
        );
      }
    }
  }
  return findings;
}

function pyParamName(p: PyNode | null): string {
  if (!p) return "";
  if (p.type === "identifier") return p.text;
  if (p.type === "typed_parameter") return p.namedChildren.find((c) => c?.type === "identifier")?.text ?? "";
  if (p.type === "default_parameter" || p.type === "typed_default_parameter") return p.childForFieldName("name")?.text ?? "";
  return "";
}

function enclosingNamedFunction(node: ts.Node): { name: string; node: ts.FunctionLikeDeclaration } | null {
  let n: ts.Node | undefined = node.parent;
  while (n) {
    if (ts.isFunctionDeclaration(n) && n.name) return { name: n.name.text, node: n };
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isVariableDeclaration(n.parent) && ts.isIdentifier(n.parent.name))
      return { name: n.parent.name.text, node: n };
    if (ts.isMethodDeclaration(n) && ts.isIdentifier(n.name)) return { name: n.name.text, node: n };
    n = n.parent;
  }
  return null;
}

function referencesIdentifier(root: ts.Node, name: string): boolean {
  const stack: ts.Node[] = [root];
  for (let budget = 500; stack.length > 0 && budget > 0; budget--) {
    const n = stack.pop()!;
    if (ts.isIdentifier(n) && n.text === name && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) return true;
    ts.forEachChild(n, (c) => {
      stack.push(c);
    });
  }
  return false;
}
