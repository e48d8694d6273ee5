// One walk over every parsed JS/TS file, indexing the node kinds code checks ask about, so rules read lists
// instead of walking the trees again ("parse once, judge many times").
import type { Facts } from "../facts/container";
import { calleeName, parsedJsFiles, ts, walk, type ParsedJs } from "./js";

export interface JsCall {
  node: ts.CallExpression | ts.NewExpression;
  /** Dotted callee (`axios.get`, `https.Agent` for `new https.Agent()`), or null when it isn't a name chain. */
  callee: string | null;
}

export interface JsProperty {
  /** The key as written, unquoted (`rejectUnauthorized`, `Access-Control-Allow-Origin`). */
  name: string;
  node: ts.PropertyAssignment | ts.ShorthandPropertyAssignment;
}

export interface JsFunction {
  /** Declared name, or the variable/property it is assigned to; null for anonymous callbacks. */
  name: string | null;
  node: ts.FunctionLikeDeclaration;
}

export interface JsFileIndex {
  path: string;
  text: string;
  sourceFile: ts.SourceFile;
  calls: JsCall[];
  properties: JsProperty[];
  /** `a = b`, `a.b = c` (plain `=` only). */
  assignments: ts.BinaryExpression[];
  /** `===`, `!==`, `==`, `!=`. */
  comparisons: ts.BinaryExpression[];
  jsxAttributes: ts.JsxAttribute[];
  functions: JsFunction[];
  /** Property and element accesses (`navigator.clipboard`, `req.query["token"]`). */
  accesses: Array<ts.PropertyAccessExpression | ts.ElementAccessExpression>;
}

const COMPARISON = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

export function indexJsFile(file: ParsedJs): JsFileIndex {
  const index: JsFileIndex = {
    path: file.path,
    text: file.text,
    sourceFile: file.sourceFile,
    calls: [],
    properties: [],
    assignments: [],
    comparisons: [],
    jsxAttributes: [],
    functions: [],
    accesses: [],
  };
  walk(file.sourceFile, (node) => {
    if (ts.isCallExpression(node)) index.calls.push({ node, callee: calleeName(node.expression) });
    else if (ts.isNewExpression(node)) index.calls.push({ node, callee: calleeName(node.expression) });
    else if (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) {
      const name = propertyNameText(node.name);
      if (name !== null) index.properties.push({ name, node });
    } else if (ts.isBinaryExpression(node)) {
      if (node.operatorToken.kind === ts.SyntaxKind.EqualsToken) index.assignments.push(node);
      else if (COMPARISON.has(node.operatorToken.kind)) index.comparisons.push(node);
    } else if (ts.isJsxAttribute(node)) index.jsxAttributes.push(node);
    else if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) index.accesses.push(node);
    if (ts.isFunctionLike(node) && "body" in node && node.body !== undefined) {
      index.functions.push({ name: functionName(node as ts.FunctionLikeDeclaration), node: node as ts.FunctionLikeDeclaration });
    }
  });
  return index;
}

/** Every parsed JS/TS file, indexed once per scan. */
export function jsIndex(facts: Facts): readonly JsFileIndex[] {
  return facts.memo("index:js", () => parsedJsFiles(facts).map(indexJsFile));
}

/** The text of a property key: identifiers, string and numeric literals, and computed string literals. */
export function propertyNameText(name: ts.PropertyName | ts.JsxAttributeName): string | null {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  if (ts.isJsxNamespacedName(name)) return `${name.namespace.text}:${name.name.text}`;
  return null;
}

function functionName(node: ts.FunctionLikeDeclaration): string | null {
  if (node.name && (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name))) return node.name.text;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent)) return propertyNameText(parent.name);
  return null;
}

/** The value of a key in an object literal; a shorthand `{ token }` gives the identifier. */
export function objectProperty(object: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  for (const p of object.properties) {
    if (ts.isPropertyAssignment(p) && propertyNameText(p.name) === key) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === key) return p.name;
  }
  return undefined;
}

/** Whether an object literal spreads another object in, so keys we don't see may still be set. */
export function hasSpread(object: ts.ObjectLiteralExpression): boolean {
  return object.properties.some((p) => ts.isSpreadAssignment(p));
}

/** Strips parentheses, `as`, `satisfies`, `!` and type assertions. */
export function unwrap(expression: ts.Expression): ts.Expression {
  let e = expression;
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e))
      e = e.expression;
    else if (ts.isTypeAssertionExpression(e)) e = e.expression;
    else return e;
  }
}

/** A string literal's value (`"x"`, `'x'`, `` `x` `` without substitutions), else null. */
export function stringValue(expression: ts.Expression | undefined): string | null {
  if (!expression) return null;
  const e = unwrap(expression);
  return ts.isStringLiteralLike(e) ? e.text : null;
}

export function isBooleanLiteral(expression: ts.Expression | undefined, value: boolean): boolean {
  if (!expression) return false;
  const e = unwrap(expression);
  return e.kind === (value ? ts.SyntaxKind.TrueKeyword : ts.SyntaxKind.FalseKeyword);
}

/**
 * A dotted name for member chains, including string-keyed element access and optional chaining:
 * `req.headers["authorization"]` and `req.headers?.authorization` are both `req.headers.authorization`.
 */
export function memberName(expression: ts.Expression): string | null {
  const e = unwrap(expression);
  if (ts.isIdentifier(e)) return e.text;
  if (e.kind === ts.SyntaxKind.ThisKeyword) return "this";
  if (ts.isPropertyAccessExpression(e)) {
    const left = memberName(e.expression);
    return left === null ? null : `${left}.${e.name.text}`;
  }
  if (ts.isElementAccessExpression(e)) {
    const key = stringValue(e.argumentExpression);
    const left = memberName(e.expression);
    return left === null || key === null ? null : `${left}.${key}`;
  }
  return null;
}

/** The innermost function around a node, or the source file at top level. */
export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | ts.SourceFile {
  let n: ts.Node | undefined = node.parent;
  while (n) {
    if (ts.isSourceFile(n)) return n;
    if (ts.isFunctionLike(n) && "body" in n && n.body !== undefined) return n as ts.FunctionLikeDeclaration;
    n = n.parent;
  }
  return node.getSourceFile();
}

// Declarations per block, built on first lookup: resolving identifiers stays linear however often checks ask.
const declarationsByScope = new WeakMap<ts.Node, Map<string, ts.VariableDeclaration>>();

function declarationsOf(scope: ts.Block | ts.SourceFile | ts.ModuleBlock): Map<string, ts.VariableDeclaration> {
  let map = declarationsByScope.get(scope);
  if (!map) {
    map = new Map();
    for (const s of scope.statements) {
      if (!ts.isVariableStatement(s)) continue;
      for (const d of s.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.initializer && !map.has(d.name.text)) map.set(d.name.text, d);
    }
    declarationsByScope.set(scope, map);
  }
  return map;
}

/** The initializer of the `const`/`let` declaration an identifier refers to, looked up through enclosing blocks. */
export function resolveConst(identifier: ts.Identifier): ts.Expression | undefined {
  let scope: ts.Node | undefined = identifier.parent;
  while (scope) {
    if (ts.isBlock(scope) || ts.isSourceFile(scope) || ts.isModuleBlock(scope)) {
      const d = declarationsOf(scope).get(identifier.text);
      if (d?.initializer && d.initializer !== identifier) return d.initializer;
    }
    scope = scope.parent;
  }
  return undefined;
}

/** Whether `inner` lies within `outer` (inclusive). */
export function contains(outer: ts.Node, inner: ts.Node): boolean {
  return inner.pos >= outer.pos && inner.end <= outer.end;
}
