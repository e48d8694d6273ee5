// Logs: no authorization headers, tokens or secrets, no raw request bodies, tool arguments or prompts, and a logger
// setup that redacts. Reads the log call sites of lib/parse/log-calls.ts.
import { ts } from "@/lib/engine/parse/js";
import { contains, jsIndex, memberName, unwrap, type JsFileIndex } from "@/lib/engine/parse/js-index";
import { loggerSetups, logCalls, type JsLogCall, type PyLogCall } from "@/lib/engine/parse/log-calls";
import { dottedName, memberPath, pyIndex } from "@/lib/engine/parse/py-index";
import type { PyNode } from "@/lib/engine/parse/python";
import { isCredentialName, isSecretEnvName, normalizeName } from "@/lib/engine/facts/names";
import { isTestPath } from "@/lib/engine/parse/source-kind";
import { codeCoverageProblem } from "@/lib/engine/parse/coverage";
import { codeFinding, finish } from "./evidence";
import { defineRule } from "./rule";
import type { Check } from "./types";
import type { Finding } from "@/lib/core/types";

const ITEM = "data-handling.log-redaction";

export const rules = {
  credential: defineRule({
    id: "logging/credential",
    severity: "high",
    title: "Token, secret or authorization header written to the logs",
    rationale:
      "Logs are copied to log services, shared in tickets and kept for months, by people and systems that should never hold users' tokens; a logged bearer token is a working credential for anyone who reads it.",
    remediation:
      "Log that a credential was present or which client it belongs to, never its value. Configure logger redaction (pino `redact: ['req.headers.authorization', '*.token']`, a logging.Filter) as a safety net.",
    item: ITEM,
  }),
  content: defineRule({
    id: "logging/request-content",
    severity: "moderate",
    title: "Raw request body, tool arguments or prompt text written to the logs",
    rationale:
      "Tool arguments and request bodies hold what users typed and the personal data the model passed along. The guidance asks for correlation ids in logs and no raw prompt text unless strictly necessary.",
    remediation: "Log a correlation id, the tool name and the sizes or ids you need for debugging; drop or redact the content itself.",
    item: ITEM,
  }),
  noRedaction: defineRule({
    id: "logging/no-redaction",
    severity: "low",
    title: "Logger set up without any redaction",
    rationale:
      "Without redaction configured, one careless log line puts a token or an email address into every log sink; redaction in the logger setup catches what code review misses.",
    remediation:
      "Configure redaction where the logger is created: pino `redact` paths for authorization headers, cookies, tokens and emails; a logging.Filter or structlog processor that masks them in Python.",
    item: ITEM,
  }),
};

interface Sensitive {
  kind: "credential" | "content";
  what: string;
}

const REDACTING = /redact|mask|hash|sanitiz|digest|fingerprint|truncat|anonymi|scrub|censor|obfuscat|length|len$|count|bool|typeof/i;
const INCOMING = /^(?:req|request|ctx\.request|ctx\.req|c\.req|c\.req\.raw|event|event\.request)$/;
const MAX_NODES = 400;
// Not a bare `prompt`: MCP servers have prompt templates (a protocol feature) whose names and descriptions are fine to log.
const PROMPT_NAMES = new Set(["userprompt", "prompttext", "rawprompt", "userinput", "usermessage", "chatmessage"]);
const REQUEST_TOOL_CALL = /^(?:[A-Za-z_$][\w$]*\.)?params\.arguments$/;

export const loggingCheck: Check = {
  id: "logging",
  title: "Logging: redaction, no tokens, no raw prompts or bodies",
  section: "data-handling",
  rules: Object.values(rules),
  async run({ facts }) {
    const unreadable = await codeCoverageProblem(facts);
    if (unreadable) return { status: "unavailable", findings: [], error: `Could not read the code: ${unreadable}.` };
    const findings: Finding[] = [];
    const toolArgs = new Map<JsFileIndex, ToolArgBinding[]>();
    for (const call of await logCalls(facts)) {
      const found = call.language === "js" ? jsSensitive(call, toolArgsOf(call.file, toolArgs)) : pySensitive(call);
      if (found.length === 0) continue;
      const credential = found.filter((f) => f.kind === "credential");
      const rule = credential.length > 0 ? rules.credential : rules.content;
      const whats = [...new Set((credential.length > 0 ? credential : found).map((f) => f.what))];
      findings.push(
        codeFinding(rule, {
          path: call.file.path,
          line: call.line,
          text: call.file.text,
          message: `\`${call.callee}\` logs ${joinList(whats)}.`,
        }),
      );
    }

    const setups = await loggerSetups(facts);
    // A repository-wide fact: reported once, at the first logger setup.
    const first = setups[0];
    if (first && !setups.some((s) => s.redacts) && !(await repoRedacts(facts))) {
      const file =
        first.language === "js"
          ? jsIndex(facts).find((f) => f.path === first.path)
          : (await pyIndex(facts)).find((f) => f.path === first.path);
      const others = setups.length - 1;
      if (file) {
        findings.push(
          codeFinding(rules.noRedaction, {
            path: first.path,
            line: first.line,
            text: file.text,
            message: `The ${first.library} logger is created without redaction${others > 0 ? ` (as are ${others} other logger setup${others === 1 ? "" : "s"})` : ""}, and nothing else in the code redacts log fields.`,
            subject: "repository",
          }),
        );
      }
    }
    return finish(findings);
  },
};

function joinList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

async function repoRedacts(facts: Parameters<Check["run"]>[0]["facts"]): Promise<boolean> {
  const texts = [...jsIndex(facts), ...(await pyIndex(facts))].filter((f) => !isTestPath(f.path));
  return texts.some((f) => f.text.includes("redact") || f.text.includes("Redact"));
}

// JavaScript

interface ToolArgBinding {
  name: string;
  handler: ts.FunctionLikeDeclaration;
}

/** First parameters of tool handlers (`server.registerTool(name, config, (args) => …)`): the model-supplied arguments. */
function toolArgsOf(file: JsFileIndex, cache: Map<JsFileIndex, ToolArgBinding[]>): ToolArgBinding[] {
  const cached = cache.get(file);
  if (cached) return cached;
  const out: ToolArgBinding[] = [];
  for (const { node, callee } of file.calls) {
    if (!callee || !ts.isCallExpression(node)) continue;
    const last = callee.slice(callee.lastIndexOf(".") + 1);
    if (last !== "registerTool" && last !== "tool" && last !== "registerAppTool") continue;
    const handler = node.arguments[node.arguments.length - 1];
    const fn = handler ? unwrap(handler) : undefined;
    if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) continue;
    const first = fn.parameters[0];
    if (first && ts.isIdentifier(first.name)) out.push({ name: first.name.text, handler: fn });
  }
  cache.set(file, out);
  return out;
}

function jsSensitive(call: JsLogCall, toolArgs: ToolArgBinding[]): Sensitive[] {
  const found: Sensitive[] = [];
  let budget = MAX_NODES;
  const stack: ts.Node[] = [...call.args];
  while (stack.length > 0 && budget-- > 0) {
    const node = stack.pop()!;
    if (ts.isCallExpression(node)) {
      const callee = node.expression.getText(call.file.sourceFile).slice(0, 80);
      if (REDACTING.test(callee)) continue;
      const name = memberName(node.expression);
      // await req.json() / req.text(): the raw body.
      if (name && /\.(?:json|text|formData)$/.test(name) && INCOMING.test(name.slice(0, name.lastIndexOf(".")))) {
        found.push({ kind: "content", what: "the raw request body" });
        continue;
      }
      if (name && /\.headers\.get$/.test(name) && isCredentialName(stringArg(node) ?? "")) {
        found.push({ kind: "credential", what: `the ${stringArg(node)} header` });
        continue;
      }
      stack.push(...node.arguments);
      continue;
    }
    // Callbacks inside log arguments (`items.map((x) => x.id)`) declare names; they don't log them by themselves.
    if (ts.isPrefixUnaryExpression(node) || ts.isTypeOfExpression(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node))
      continue;
    // Sizes and counts of anything are fine: `Object.keys(args).length`, `body.length`.
    if (ts.isPropertyAccessExpression(node) && /^(?:length|size|count|byteLength)$/.test(node.name.text)) continue;
    if (ts.isConditionalExpression(node)) {
      stack.push(node.whenTrue, node.whenFalse);
      continue;
    }
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind !== ts.SyntaxKind.PlusToken &&
      node.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionToken &&
      node.operatorToken.kind !== ts.SyntaxKind.BarBarToken
    )
      continue;
    if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const name = memberName(node);
      if (name !== null) {
        const s = classifyJs(name, node, toolArgs);
        if (s) found.push(s);
        continue;
      }
    }
    if (ts.isShorthandPropertyAssignment(node)) {
      const s = classifyJs(node.name.text, node.name, toolArgs);
      if (s) found.push(s);
      continue;
    }
    if (ts.isPropertyAssignment(node)) {
      stack.push(node.initializer);
      continue;
    }
    ts.forEachChild(node, (child) => {
      stack.push(child);
    });
  }
  return found;
}

function stringArg(call: ts.CallExpression): string | null {
  const a = call.arguments[0];
  return a && ts.isStringLiteralLike(a) ? a.text : null;
}

function classifyJs(name: string, node: ts.Node, toolArgs: ToolArgBinding[]): Sensitive | null {
  const dot = name.lastIndexOf(".");
  const last = name.slice(dot + 1);
  const object = dot === -1 ? "" : name.slice(0, dot);
  if (/\.headers$/.test(name) && INCOMING.test(name.slice(0, -".headers".length)))
    return { kind: "credential", what: "the request headers (with the Authorization header)" };
  if (/\.headers$/.test(object) && isCredentialName(last)) return { kind: "credential", what: `the ${last} header` };
  if (name.startsWith("process.env.")) return isSecretEnvName(last) ? { kind: "credential", what: `\`${name}\`` } : null;
  if (isCredentialName(last)) return { kind: "credential", what: `\`${name}\`` };
  if (last === "body" && INCOMING.test(object)) return { kind: "content", what: "the raw request body" };
  if (REQUEST_TOOL_CALL.test(name)) return { kind: "content", what: "the tool arguments" };
  if (PROMPT_NAMES.has(normalizeName(last))) return { kind: "content", what: "the prompt text" };
  if (dot === -1 && toolArgs.some((b) => b.name === name && contains(b.handler, node)))
    return { kind: "content", what: "the tool arguments" };
  return null;
}

// Python

const PY_RAW_BODY = /^request\.(?:data|form|json|get_json|body|stream)$/;

function pySensitive(call: PyLogCall): Sensitive[] {
  const found: Sensitive[] = [];
  const toolArgNames = pyToolArgNames(call.node);
  let budget = MAX_NODES;
  const stack: PyNode[] = [...call.args];
  while (stack.length > 0 && budget-- > 0) {
    const node = stack.pop()!;
    switch (node.type) {
      case "not_operator":
      case "comparison_operator":
      case "lambda":
      case "generator_expression":
      case "list_comprehension":
      case "boolean_operator":
        continue;
      case "conditional_expression": {
        const [a, , b] = node.namedChildren;
        if (a) stack.push(a);
        if (b) stack.push(b);
        continue;
      }
      case "keyword_argument": {
        const value = node.childForFieldName("value");
        if (value) stack.push(value);
        continue;
      }
      case "subscript": {
        // token[:6] is a prefix, not the token.
        if (node.childForFieldName("subscript")?.type === "slice") continue;
        break;
      }
      case "call": {
        const callee = dottedName(node.childForFieldName("function")) ?? node.childForFieldName("function")?.text.slice(0, 80) ?? "";
        if (REDACTING.test(callee)) continue;
        if (/^request\.(?:body|json|get_json|form)$/.test(callee)) {
          found.push({ kind: "content", what: "the raw request body" });
          continue;
        }
        if (callee === "os.getenv" || callee === "os.environ.get") {
          const name = node.childForFieldName("arguments")?.namedChildren[0]?.text.replace(/^["']|["']$/g, "") ?? "";
          if (isSecretEnvName(name)) found.push({ kind: "credential", what: `\`${name}\` from the environment` });
          continue;
        }
        break;
      }
    }
    const path =
      node.type === "identifier" || node.type === "attribute" || node.type === "subscript" || node.type === "call"
        ? memberPath(node)
        : null;
    if (path !== null) {
      const s = classifyPy(path, toolArgNames);
      if (s) {
        found.push(s);
        continue;
      }
      if (node.type !== "call") continue;
    }
    if (node.type === "call") {
      const args = node.childForFieldName("arguments");
      if (args) stack.push(...args.namedChildren.filter((c): c is PyNode => c !== null));
      continue;
    }
    for (const child of node.namedChildren) if (child) stack.push(child);
  }
  return found;
}

function classifyPy(path: string, toolArgNames: ReadonlySet<string>): Sensitive | null {
  const dot = path.lastIndexOf(".");
  const last = path.slice(dot + 1);
  const object = dot === -1 ? "" : path.slice(0, dot);
  if (path === "request.headers") return { kind: "credential", what: "the request headers (with the Authorization header)" };
  if (object.endsWith("headers") && isCredentialName(last)) return { kind: "credential", what: `the ${last} header` };
  if (object === "os.environ") return isSecretEnvName(last) ? { kind: "credential", what: `\`${last}\` from the environment` } : null;
  if (isCredentialName(last)) return { kind: "credential", what: `\`${path}\`` };
  if (PY_RAW_BODY.test(path)) return { kind: "content", what: "the raw request body" };
  if (PROMPT_NAMES.has(normalizeName(last))) return { kind: "content", what: "the prompt text" };
  if (dot === -1 && toolArgNames.has(path)) return { kind: "content", what: "the tool arguments" };
  return null;
}

/** In a low-level `@server.call_tool()` handler, the parameter holding the arguments dict. */
function pyToolArgNames(node: PyNode): Set<string> {
  const names = new Set<string>();
  let n = node.parent;
  while (n && n.type !== "function_definition") n = n.parent;
  if (!n || n.parent?.type !== "decorated_definition") return names;
  const decorated = n.parent.namedChildren.some((c) => c?.type === "decorator" && /\.call_tool\s*\(/.test(c.text.slice(0, 200)));
  if (!decorated) return names;
  const params = n.childForFieldName("parameters")?.namedChildren ?? [];
  const second = params[1];
  const name = second?.type === "identifier" ? second.text : (second?.childForFieldName("name")?.text ?? second?.namedChildren[0]?.text);
  if (name) names.add(name);
  return names;
}
