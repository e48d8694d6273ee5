// What reaches the widget: no credentials in structuredContent, _meta or widget state; tool output never rendered as
// HTML; postMessage listeners check who is talking.
import { lineOf, ts } from "@/lib/engine/parse/js";
import { memberName, objectProperty, propertyNameText, stringValue, unwrap, type JsFileIndex, resolveConst } from "@/lib/engine/parse/js-index";
import { dottedName, pyIndex, pyLine, stringContent, type PyFileIndex } from "@/lib/engine/parse/py-index";
import type { PyNode } from "@/lib/engine/parse/python";
import { isCredentialName, isSecretEnvName } from "@/lib/engine/facts/names";
import { isTestPath } from "@/lib/engine/parse/source-kind";
import { widgetFiles } from "@/lib/engine/parse/widgets";
import { codeCoverageProblem } from "@/lib/engine/parse/coverage";
import { codeFinding, finish } from "./evidence";
import { defineRule } from "./rule";
import type { Check } from "./types";
import type { Finding } from "@/lib/core/types";
import { serverJsFiles } from "@/lib/engine/parse/server-code";

export const rules = {
  secretInOutput: defineRule({
    id: "widget/secret-in-tool-output",
    severity: "high",
    title: "Credential in structuredContent, _meta or widget state",
    rationale:
      "Everything a tool returns reaches the model's context and the widget iframe, and widget state is shown to the model too: a token placed there can be read back, logged or sent elsewhere by injected instructions.",
    remediation:
      "Keep tokens and keys on the server. Return only the data the widget displays; when the widget must act, let it call a tool (openai/widgetAccessible) that uses the server-side credential.",
    item: "data-handling.no-secrets-in-widgets",
  }),
  htmlInjection: defineRule({
    id: "widget/html-from-tool-output",
    severity: "high",
    title: "Widget renders data as raw HTML",
    rationale:
      "Tool output carries text from users, web pages and third parties. Rendered as HTML, it runs script inside the widget, which can call the connector's tools and send messages to the conversation as the user.",
    remediation:
      "Render text as text (JSX children, textContent). If HTML is really needed, sanitize it first with DOMPurify and a strict allow-list.",
    item: "principles.defense-in-depth",
  }),
  messageOrigin: defineRule({
    id: "widget/message-without-origin-check",
    severity: "moderate",
    title: "postMessage listener without an origin or source check",
    rationale:
      "Any frame or window that can reach the widget may post messages to it; a listener that acts on every message lets another page feed it forged tool results or commands.",
    remediation:
      "Return early unless `event.source === window.parent` (or `event.origin` is the expected host origin) before reading `event.data`.",
    item: "principles.defense-in-depth",
  }),
};

const SANITIZER = /sanitiz|purif|escape|xss|encode|safeHtml|trustedHtml/i;
const MAX_DEPTH = 4;

export const widgetDataCheck: Check = {
  id: "widget-data",
  title: "Widget data: no secrets in tool output, no raw HTML, checked postMessage",
  section: "data-handling",
  rules: Object.values(rules),
  async run({ facts }) {
    const unreadable = await codeCoverageProblem(facts);
    if (unreadable) return { status: "unavailable", findings: [], error: `Could not read the code: ${unreadable}.` };
    const findings: Finding[] = [];
    const widgets = widgetFiles(facts);

    for (const file of widgets.indexes) {
      findings.push(...htmlSinks(file), ...messageListeners(file));
      for (const { node, callee } of file.calls) {
        if (!callee?.endsWith("setWidgetState") || !ts.isCallExpression(node)) continue;
        const leak = credentialIn(node.arguments[0], 0);
        if (leak)
          findings.push(
            codeFinding(rules.secretInOutput, {
              path: file.path,
              line: lineOf(node, file.sourceFile),
              text: file.text,
              message: `Widget state carries ${leak}; widget state is visible to the model.`,
            }),
          );
      }
    }

    for (const file of serverJsFiles(facts)) {
      for (const { name, node } of file.properties) {
        if (name !== "structuredContent" && name !== "_meta") continue;
        const value = ts.isPropertyAssignment(node) ? node.initializer : resolveConst(node.name);
        const leak = credentialIn(value, 0);
        if (leak)
          findings.push(
            codeFinding(rules.secretInOutput, {
              path: file.path,
              line: lineOf(node, file.sourceFile),
              text: file.text,
              message: `\`${name}\` carries ${leak}.`,
            }),
          );
      }
    }

    for (const file of await pyIndex(facts)) {
      if (isTestPath(file.path)) continue;
      findings.push(...pythonOutput(file));
    }
    return finish(findings);
  },
};

/** A description of the credential an expression carries ("the `accessToken` field"), or null. */
function credentialIn(expression: ts.Expression | undefined, depth: number): string | null {
  if (!expression || depth > MAX_DEPTH) return null;
  let e = unwrap(expression);
  if (ts.isIdentifier(e) && depth === 0) {
    const init = resolveConst(e);
    if (init && ts.isObjectLiteralExpression(unwrap(init))) e = unwrap(init);
  }
  if (ts.isObjectLiteralExpression(e)) {
    for (const p of e.properties) {
      if (ts.isShorthandPropertyAssignment(p)) {
        if (isCredentialName(p.name.text)) return `the \`${p.name.text}\` field`;
      } else if (ts.isPropertyAssignment(p)) {
        const key = propertyNameText(p.name) ?? "";
        if (isCredentialName(key) && !isHarmlessValue(p.initializer)) return `the \`${key}\` field`;
        const inner = credentialIn(p.initializer, depth + 1);
        if (inner) return inner;
      }
    }
    return null;
  }
  if (ts.isArrayLiteralExpression(e)) {
    for (const el of e.elements) {
      const inner = credentialIn(el, depth + 1);
      if (inner) return inner;
    }
    return null;
  }
  if (ts.isTemplateExpression(e)) {
    for (const span of e.templateSpans) {
      const inner = credentialIn(span.expression, depth + 1);
      if (inner) return inner;
    }
    return null;
  }
  const name = memberName(e);
  if (name === null) return null;
  if (name.startsWith("process.env.")) return isSecretEnvName(name.slice("process.env.".length)) ? `\`${name}\`` : null;
  const last = name.slice(name.lastIndexOf(".") + 1);
  return isCredentialName(last) ? `\`${name}\`` : null;
}

function isHarmlessValue(e: ts.Expression): boolean {
  const u = unwrap(e);
  return (
    u.kind === ts.SyntaxKind.TrueKeyword ||
    u.kind === ts.SyntaxKind.FalseKeyword ||
    u.kind === ts.SyntaxKind.NullKeyword ||
    ts.isNumericLiteral(u) ||
    (ts.isIdentifier(u) && u.text === "undefined") ||
    ts.isPrefixUnaryExpression(u) ||
    // Literal strings are labels ("required", "Bearer"); a literal credential is the secrets check's to report.
    ts.isStringLiteralLike(u)
  );
}

function htmlSinks(file: JsFileIndex): Finding[] {
  const findings: Finding[] = [];
  const report = (node: ts.Node, value: ts.Expression, sink: string) => {
    if (isSafeHtml(value)) return;
    findings.push(
      codeFinding(rules.htmlInjection, {
        path: file.path,
        line: lineOf(node, file.sourceFile),
        text: file.text,
        message: `\`${sink}\` is given \`${value.getText(file.sourceFile).slice(0, 60)}\`, which is not a constant and not sanitized.`,
      }),
    );
  };
  for (const attr of file.jsxAttributes) {
    if (propertyNameText(attr.name) !== "dangerouslySetInnerHTML" || !attr.initializer || !ts.isJsxExpression(attr.initializer)) continue;
    const inner = attr.initializer.expression ? unwrap(attr.initializer.expression) : undefined;
    const html = inner && ts.isObjectLiteralExpression(inner) ? objectProperty(inner, "__html") : undefined;
    if (html) report(attr, html, "dangerouslySetInnerHTML");
  }
  for (const a of file.assignments) {
    if (!ts.isPropertyAccessExpression(a.left)) continue;
    const prop = a.left.name.text;
    if (prop === "innerHTML" || prop === "outerHTML") report(a, a.right, prop);
  }
  for (const { node, callee } of file.calls) {
    if (!callee || !ts.isCallExpression(node)) continue;
    if (callee.endsWith(".insertAdjacentHTML") && node.arguments[1]) report(node, node.arguments[1], "insertAdjacentHTML");
    else if ((callee === "document.write" || callee === "document.writeln") && node.arguments[0]) report(node, node.arguments[0], callee);
  }
  return findings;
}

/** Constants, sanitizer calls, and templates built only from those. */
function isSafeHtml(expression: ts.Expression): boolean {
  const e = unwrap(expression);
  if (ts.isStringLiteralLike(e)) return true;
  if (ts.isCallExpression(e)) return SANITIZER.test(e.expression.getText().slice(0, 100));
  if (ts.isTemplateExpression(e)) return e.templateSpans.every((s) => isSafeHtml(s.expression));
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) return isSafeHtml(e.left) && isSafeHtml(e.right);
  if (ts.isConditionalExpression(e)) return isSafeHtml(e.whenTrue) && isSafeHtml(e.whenFalse);
  if (ts.isIdentifier(e)) {
    const init = resolveConst(e);
    return init !== undefined && init !== expression && isSafeHtml(init);
  }
  return false;
}

function messageListeners(file: JsFileIndex): Finding[] {
  const findings: Finding[] = [];
  const check = (node: ts.Node, handler: ts.Expression | undefined) => {
    const body = handlerBody(file, handler);
    if (body === null) return;
    const lower = body.toLowerCase();
    if (lower.includes("origin") || lower.includes(".source")) return;
    findings.push(
      codeFinding(rules.messageOrigin, {
        path: file.path,
        line: lineOf(node, file.sourceFile),
        text: file.text,
        message: "This `message` listener acts on messages without checking `event.origin` or `event.source`.",
      }),
    );
  };
  for (const { node, callee } of file.calls) {
    if (!callee || !ts.isCallExpression(node)) continue;
    if (callee !== "addEventListener" && callee !== "window.addEventListener" && callee !== "globalThis.addEventListener") continue;
    if (stringValue(node.arguments[0]) !== "message") continue;
    check(node, node.arguments[1]);
  }
  for (const a of file.assignments) {
    const target = memberName(a.left);
    if (target === "window.onmessage" || target === "onmessage") check(a, a.right);
  }
  return findings;
}

function handlerBody(file: JsFileIndex, handler: ts.Expression | undefined): string | null {
  if (!handler) return null;
  const h = unwrap(handler);
  if (ts.isArrowFunction(h) || ts.isFunctionExpression(h)) return h.body.getText(file.sourceFile);
  const name = ts.isIdentifier(h) ? h.text : null;
  const fn = name ? file.functions.find((f) => f.name === name) : undefined;
  return fn?.node.body ? fn.node.body.getText(file.sourceFile) : null;
}

// Python: CallToolResult(structuredContent=…), {"structuredContent": …}, and dicts returned by @mcp.tool functions.

const PY_OUTPUT_KEYWORDS = new Set(["structuredContent", "structured_content", "_meta", "meta"]);
const PY_RESULT_TYPES = /(?:CallToolResult|ToolResult)$/;

function pythonOutput(file: PyFileIndex): Finding[] {
  const findings: Finding[] = [];
  const flag = (node: PyNode, what: string, leak: string) =>
    findings.push(
      codeFinding(rules.secretInOutput, { path: file.path, line: pyLine(node), text: file.text, message: `${what} carries ${leak}.` }),
    );

  for (const { node, callee } of file.calls) {
    if (!callee || !PY_RESULT_TYPES.test(callee)) continue;
    const args = node.childForFieldName("arguments");
    for (const a of args?.namedChildren ?? []) {
      if (a?.type !== "keyword_argument") continue;
      const name = a.childForFieldName("name")?.text ?? "";
      if (!PY_OUTPUT_KEYWORDS.has(name)) continue;
      const leak = pyCredentialIn(a.childForFieldName("value"), 0);
      if (leak) flag(a, `\`${name}\``, leak);
    }
  }
  for (const fn of file.functions) {
    const isTool = fn.decorators.some((d) => /\.tool\b/.test(d));
    // Returned dicts of tools become structured content; explicit {"structuredContent": …} dicts anywhere too.
    for (const ret of fn.node.descendantsOfType("return_statement")) {
      const value = ret?.namedChildren[0];
      if (!value || value.type !== "dictionary") continue;
      for (const pair of value.namedChildren) {
        if (pair?.type !== "pair") continue;
        const key = stringContent(pair.childForFieldName("key"));
        if (key === "structuredContent" || key === "_meta") {
          const leak = pyCredentialIn(pair.childForFieldName("value"), 0);
          if (leak) flag(pair, `\`${key}\``, leak);
        }
      }
      if (isTool) {
        const leak = pyCredentialIn(value, 0);
        if (
          leak &&
          !value.namedChildren.some((p) => ["structuredContent", "_meta"].includes(stringContent(p?.childForFieldName("key")) ?? ""))
        ) {
          flag(ret!, `The result of tool \`${fn.name}\``, leak);
        }
      }
    }
  }
  return findings;
}

function pyCredentialIn(node: PyNode | null | undefined, depth: number): string | null {
  if (!node || depth > MAX_DEPTH) return null;
  if (node.type === "dictionary") {
    for (const pair of node.namedChildren) {
      if (pair?.type !== "pair") continue;
      const key = stringContent(pair.childForFieldName("key"));
      const value = pair.childForFieldName("value");
      if (key !== null && isCredentialName(key) && value && !["true", "false", "none", "integer", "float", "string"].includes(value.type))
        return `the "${key}" field`;
      const inner = pyCredentialIn(value, depth + 1);
      if (inner) return inner;
    }
    return null;
  }
  if (node.type === "list" || node.type === "tuple") {
    for (const el of node.namedChildren) {
      const inner = pyCredentialIn(el, depth + 1);
      if (inner) return inner;
    }
    return null;
  }
  if (node.type === "call") {
    const callee = dottedName(node.childForFieldName("function"));
    if (callee === "os.getenv" || callee === "os.environ.get") {
      const name = stringContent(node.childForFieldName("arguments")?.namedChildren[0]);
      return name && isSecretEnvName(name) ? `\`${name}\` from the environment` : null;
    }
    return null;
  }
  if (node.type === "subscript" && node.childForFieldName("value")?.text === "os.environ") {
    const name = stringContent(node.childForFieldName("subscript"));
    return name && isSecretEnvName(name) ? `\`${name}\` from the environment` : null;
  }
  const name = dottedName(node);
  if (name === null) return null;
  const last = name.slice(name.lastIndexOf(".") + 1);
  return isCredentialName(last) ? `\`${name}\`` : null;
}
