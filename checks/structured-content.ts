// Structured content that passes whole upstream records through (a raw API response, SELECT *, an unmapped ORM row)
// where the tool's purpose needs a few fields. A heuristic: low severity, for a reviewer to confirm.
import { lineOf, ts } from "@/lib/engine/parse/js";
import { objectProperty, stringValue, unwrap, type JsFileIndex, resolveConst } from "@/lib/engine/parse/js-index";
import { dottedName, positionalArgs, pyIndex, pyLine, type PyFileIndex } from "@/lib/engine/parse/py-index";
import type { PyNode } from "@/lib/engine/parse/python";
import { isTestPath } from "@/lib/engine/parse/source-kind";
import { codeCoverageProblem } from "@/lib/engine/parse/coverage";
import { codeFinding, finish } from "./evidence";
import { defineRule } from "./rule";
import type { Check } from "./types";
import type { Finding } from "@/lib/core/types";
import { serverJsFiles } from "@/lib/engine/parse/server-code";

export const rules = {
  wholeRecords: defineRule({
    id: "structured-content/whole-records",
    severity: "low",
    title: "Structured content passes whole upstream records through",
    rationale:
      "Everything in structuredContent reaches the model and the widget. Whole API responses and database rows carry fields the prompt never needed (emails, internal ids, flags), which widens what can leak and what injected text can see.",
    remediation:
      "Map the records to the fields the tool's answer and widget actually use (`items.map(({ id, title }) => ({ id, title }))`) and keep the rest on the server.",
    item: "data-handling.minimal-structured-content",
  }),
};

const ORM_FINDERS = new Set(["findMany", "findFirst", "findUnique", "findFirstOrThrow", "findUniqueOrThrow"]);

/** Why an expression is raw upstream data, or null. */
type RawReason = string | null;

export const structuredContentCheck: Check = {
  id: "structured-content",
  title: "Structured content: only the fields a tool needs",
  section: "data-handling",
  rules: Object.values(rules),
  async run({ facts }) {
    const unreadable = await codeCoverageProblem(facts);
    if (unreadable) return { status: "unavailable", findings: [], error: `Could not read the code: ${unreadable}.` };
    const findings: Finding[] = [];
    const jsFiles = serverJsFiles(facts);
    const rawFunctions = rawReturningFunctions(jsFiles);

    for (const file of jsFiles) {
      for (const { name, node } of file.properties) {
        if (name !== "structuredContent") continue;
        const value = ts.isPropertyAssignment(node) ? node.initializer : node.name;
        const reason = rawIn(value, rawFunctions, 0);
        if (reason) {
          findings.push(
            codeFinding(rules.wholeRecords, {
              path: file.path,
              line: lineOf(node, file.sourceFile),
              text: file.text,
              message: `structuredContent ${reason}.`,
            }),
          );
        }
      }
    }

    for (const file of await pyIndex(facts)) {
      if (isTestPath(file.path)) continue;
      findings.push(...pythonTools(file));
    }
    return finish(findings);
  },
};

/** Names of functions (across the JS files) whose every return value is raw upstream data. */
function rawReturningFunctions(files: readonly JsFileIndex[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of files) {
    for (const fn of file.functions) {
      if (!fn.name || !fn.node.body) continue;
      const returns: ts.Expression[] = [];
      if (ts.isBlock(fn.node.body)) {
        for (const s of fn.node.body.statements) if (ts.isReturnStatement(s) && s.expression) returns.push(s.expression);
      } else returns.push(fn.node.body);
      if (returns.length === 0) continue;
      const reasons = returns.map((r) => directRaw(r, 0));
      if (reasons.every((r) => r !== null)) out.set(fn.name, reasons[0]!);
    }
  }
  return out;
}

/** Raw data written right here: `await res.json()`, `(await axios.get()).data`, SELECT *, unmapped ORM finds. (Not JSON.parse: that is as often the server's own data.) */
function directRaw(expression: ts.Expression, depth: number): RawReason {
  if (depth > 3) return null;
  let e = unwrap(expression);
  if (ts.isAwaitExpression(e)) e = unwrap(e.expression);
  if (ts.isCallExpression(e)) {
    const callee = e.expression;
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      if (method === "json" && e.arguments.length === 0) return "is the upstream API response, unchanged";
      if (ORM_FINDERS.has(method)) {
        const arg = e.arguments[0] ? unwrap(e.arguments[0]) : undefined;
        if (!arg || (ts.isObjectLiteralExpression(arg) && !objectProperty(arg, "select") && !objectProperty(arg, "omit")))
          return `holds whole database rows (\`${method}\` without \`select\`)`;
      }
    }
    const sql = stringValue(e.arguments[0]);
    if (sql !== null && /^\s*select\s+\*/i.test(sql)) return "holds whole database rows (`SELECT *`)";
    return null;
  }
  if (ts.isPropertyAccessExpression(e) && e.name.text === "data") {
    const inner = unwrap(e.expression);
    const awaited = ts.isAwaitExpression(inner) ? unwrap(inner.expression) : inner;
    if (ts.isCallExpression(awaited) && /^axios\b/.test(awaited.expression.getText())) return "is the upstream API response, unchanged";
    if (ts.isIdentifier(awaited)) {
      const init = resolveConst(awaited);
      const initAwaited = init && ts.isAwaitExpression(unwrap(init)) ? unwrap((unwrap(init) as ts.AwaitExpression).expression) : undefined;
      if (initAwaited && ts.isCallExpression(initAwaited) && /^axios\b/.test(initAwaited.expression.getText()))
        return "is the upstream API response, unchanged";
    }
  }
  if (ts.isIdentifier(e)) {
    const init = resolveConst(e);
    if (init && init !== expression) return directRaw(init, depth + 1);
  }
  return null;
}

/** Raw data in a structuredContent value: directly, through a const, a helper that returns raw data, or a field or spread of it. */
function rawIn(expression: ts.Expression | undefined, rawFunctions: ReadonlyMap<string, string>, depth: number): RawReason {
  if (!expression || depth > 3) return null;
  const e = unwrap(expression);
  const direct = directRaw(e, 0);
  if (direct) return direct;
  const viaHelper = (x: ts.Expression): RawReason => {
    let c = unwrap(x);
    if (ts.isAwaitExpression(c)) c = unwrap(c.expression);
    if (ts.isCallExpression(c) && ts.isIdentifier(c.expression)) {
      const reason = rawFunctions.get(c.expression.text);
      if (reason) return `${reason} (returned by \`${c.expression.text}\`)`;
    }
    return null;
  };
  const helper = viaHelper(e);
  if (helper) return helper;
  if (ts.isIdentifier(e)) {
    const init = resolveConst(e);
    if (init) return viaHelper(init) ?? (ts.isObjectLiteralExpression(unwrap(init)) ? rawIn(init, rawFunctions, depth + 1) : null);
    return null;
  }
  if (ts.isObjectLiteralExpression(e)) {
    for (const p of e.properties) {
      const value = ts.isPropertyAssignment(p)
        ? p.initializer
        : ts.isShorthandPropertyAssignment(p)
          ? p.name
          : ts.isSpreadAssignment(p)
            ? p.expression
            : undefined;
      if (!value) continue;
      const inner = rawIn(value, rawFunctions, depth + 1);
      if (inner) return inner;
    }
  }
  return null;
}

// Python: tools (@mcp.tool) whose result is `resp.json()` or holds it, and structured_content=resp.json().

function pythonTools(file: PyFileIndex): Finding[] {
  const findings: Finding[] = [];
  const rawHelpers = new Set(file.functions.filter((f) => returnsOnly(f.node, (v) => isPyRaw(v, null, new Set()))).map((f) => f.name));
  for (const fn of file.functions) {
    if (!fn.decorators.some((d) => /\.tool\b/.test(d))) continue;
    const rawVars = new Set<string>();
    for (const a of fn.node.descendantsOfType("assignment")) {
      const left = a?.childForFieldName("left");
      const right = a?.childForFieldName("right");
      if (left?.type === "identifier" && right && isPyRaw(right, rawHelpers, rawVars)) rawVars.add(left.text);
    }
    for (const ret of fn.node.descendantsOfType("return_statement")) {
      const value = ret?.namedChildren[0];
      if (!value || !ret) continue;
      if (
        isPyRaw(value, rawHelpers, rawVars) ||
        (value.type === "dictionary" &&
          value.namedChildren.some((p) => p?.type === "pair" && isPyRaw(p.childForFieldName("value"), rawHelpers, rawVars)))
      ) {
        findings.push(
          codeFinding(rules.wholeRecords, {
            path: file.path,
            line: pyLine(ret),
            text: file.text,
            message: `Tool \`${fn.name}\` returns the upstream API response unchanged as its structured result.`,
          }),
        );
      }
    }
  }
  for (const { node } of file.calls) {
    const args = node.childForFieldName("arguments");
    for (const a of args?.namedChildren ?? []) {
      if (a?.type !== "keyword_argument") continue;
      const name = a.childForFieldName("name")?.text;
      if ((name === "structuredContent" || name === "structured_content") && isPyRaw(a.childForFieldName("value"), rawHelpers, new Set())) {
        findings.push(
          codeFinding(rules.wholeRecords, {
            path: file.path,
            line: pyLine(a),
            text: file.text,
            message: "structuredContent is the upstream API response, unchanged.",
          }),
        );
      }
    }
  }
  return findings;
}

function returnsOnly(fn: PyNode, test: (value: PyNode) => boolean): boolean {
  const values = fn.descendantsOfType("return_statement").map((r) => r?.namedChildren[0] ?? null);
  return values.length > 0 && values.every((v) => v !== null && test(v));
}

/** `resp.json()`, `(await resp.json())`, a variable holding one, or a same-file helper returning one. */
function isPyRaw(node: PyNode | null | undefined, helpers: ReadonlySet<string> | null, vars: ReadonlySet<string>): boolean {
  if (!node) return false;
  let n: PyNode = node;
  while (n.type === "await" || n.type === "parenthesized_expression") {
    const inner = n.namedChildren[0];
    if (!inner) return false;
    n = inner;
  }
  if (n.type === "identifier") return vars.has(n.text);
  if (n.type !== "call") return false;
  const fn = n.childForFieldName("function");
  if (fn?.type === "attribute" && fn.childForFieldName("attribute")?.text === "json" && positionalArgs(n).length === 0) return true;
  const name = dottedName(fn);
  return helpers !== null && name !== null && helpers.has(name);
}
