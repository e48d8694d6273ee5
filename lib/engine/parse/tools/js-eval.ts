// A small static evaluator for JS/TS expressions: string constants, template literals, concatenation, object and array
// spreads, same-file and imported helper functions, `.map` over constant arrays. Nothing is run: whatever can't be
// known without running the code comes back as a dynamic marker holding the expression's text.
import path from "node:path";
import { ts, walk, type ParsedJs } from "../js";
import type { StaticValue } from "@/lib/core/types";
import { dynamic, isDynamic, isRecord } from "./values";

const MAX_DEPTH = 60;
/** Evaluation steps per declaration: a bound on helper functions that build huge or exponential values. */
const STEP_BUDGET = 200_000;
const MAX_ARRAY = 2_000;
const MAX_STRING = 200_000;

export type Bindings = ReadonlyMap<string, StaticValue | undefined>;

export interface EvalEnv {
  file: ParsedJs;
  bindings: Bindings;
}

const JS_RESOLVE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

export class JsEvaluator {
  #steps = 0;
  readonly #topLevelCache = new Map<ts.Node, StaticValue | undefined>();
  readonly #inProgress = new Set<ts.Node>();
  /** Where each evaluated object came from, so callers can point at a line and find sibling nodes (handlers). */
  readonly origins = new WeakMap<object, ts.Node>();
  readonly propertyNodes = new WeakMap<object, Map<string, ts.Node>>();

  constructor(readonly files: ReadonlyMap<string, ParsedJs>) {}

  /** Starts a fresh step budget: called per declaration, so one hostile declaration can't starve the others. */
  resetBudget(): void {
    this.#steps = 0;
  }

  env(file: ParsedJs, bindings: Bindings = new Map()): EvalEnv {
    return { file, bindings };
  }

  evaluate(node: ts.Node, env: EvalEnv, depth = 0): StaticValue | undefined {
    if (depth > MAX_DEPTH || ++this.#steps > STEP_BUDGET) return dynamic(safeText(node, env.file));
    const next = depth + 1;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isNumericLiteral(node)) return Number(node.text);
    switch (node.kind) {
      case ts.SyntaxKind.TrueKeyword:
        return true;
      case ts.SyntaxKind.FalseKeyword:
        return false;
      case ts.SyntaxKind.NullKeyword:
        return null;
    }
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isNonNullExpression(node))
      return this.evaluate(node.expression, env, next);
    if (ts.isTypeAssertionExpression(node)) return this.evaluate(node.expression, env, next);
    if (ts.isTemplateExpression(node)) return this.#template(node, env, next);
    if (ts.isTaggedTemplateExpression(node)) return this.#taggedTemplate(node, env, next);
    if (ts.isPrefixUnaryExpression(node)) {
      const v = this.evaluate(node.operand, env, next);
      if (node.operator === ts.SyntaxKind.MinusToken && typeof v === "number") return -v;
      if (node.operator === ts.SyntaxKind.ExclamationToken && v !== undefined && !isDynamic(v)) return !v;
      return dynamic(safeText(node, env.file));
    }
    if (ts.isBinaryExpression(node)) return this.#binary(node, env, next);
    if (ts.isConditionalExpression(node)) {
      const cond = this.evaluate(node.condition, env, next);
      if (isDynamic(cond)) return dynamic(safeText(node, env.file));
      return this.evaluate(cond ? node.whenTrue : node.whenFalse, env, next);
    }
    if (ts.isObjectLiteralExpression(node)) return this.#object(node, env, next);
    if (ts.isArrayLiteralExpression(node)) return this.#array(node, env, next);
    if (ts.isIdentifier(node)) return node.text === "undefined" ? undefined : this.lookup(node, env, next);
    if (ts.isPropertyAccessExpression(node)) {
      const target = this.evaluate(node.expression, env, next);
      return this.#member(target, node.name.text, node, env);
    }
    if (ts.isElementAccessExpression(node)) {
      const target = this.evaluate(node.expression, env, next);
      const key = this.evaluate(node.argumentExpression, env, next);
      if (typeof key === "string" || typeof key === "number") return this.#member(target, String(key), node, env);
      return dynamic(safeText(node, env.file));
    }
    if (ts.isCallExpression(node)) return this.#call(node, env, next);
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return dynamic("function");
    return dynamic(safeText(node, env.file));
  }

  /** Resolves an identifier: loop and parameter bindings, then lexical const declarations, then relative imports. */
  lookup(id: ts.Identifier, env: EvalEnv, depth: number): StaticValue | undefined {
    if (env.bindings.has(id.text)) return env.bindings.get(id.text);
    const decl = findDeclaration(id, id.text);
    if (decl) return this.#evaluateDeclaration(decl, env, depth);
    const imported = this.#resolveImport(env.file, id.text);
    if (imported) return this.#evaluateDeclaration(imported.decl, this.env(imported.file), depth);
    return dynamic(id.text);
  }

  /** The expression a name stands for (its declaration's initializer), followed through relative imports. */
  resolveExpression(id: ts.Identifier, env: EvalEnv): { node: ts.Expression; env: EvalEnv } | null {
    const decl = findDeclaration(id, id.text);
    const found = decl ? { decl, file: env.file } : this.#resolveImport(env.file, id.text);
    if (!found) return null;
    const node = found.decl.node;
    if (ts.isVariableDeclaration(node) && node.initializer && ts.isIdentifier(node.name))
      return { node: node.initializer, env: found.file === env.file && !found.decl.topLevel ? env : this.env(found.file) };
    if (ts.isExportAssignment(node)) return { node: node.expression, env: this.env(found.file) };
    return null;
  }

  /** A function declared in this file (or imported from a relative module) under `name`. */
  resolveFunction(id: ts.Identifier, env: EvalEnv): { fn: ts.SignatureDeclaration & { body?: ts.Node }; file: ParsedJs } | null {
    const decl = findDeclaration(id, id.text);
    const found = decl ? { decl, file: env.file } : this.#resolveImport(env.file, id.text);
    if (!found) return null;
    const fn = functionOf(found.decl.node);
    return fn ? { fn, file: found.file } : null;
  }

  /** Calls a statically known function with the given argument values. */
  callFunction(fn: ts.SignatureDeclaration & { body?: ts.Node }, file: ParsedJs, args: Array<StaticValue | undefined>, depth: number) {
    const bindings = new Map<string, StaticValue | undefined>();
    const env = this.env(file, bindings);
    fn.parameters.forEach((p, i) => {
      let value = args[i];
      if (p.dotDotDotToken) value = args.slice(i) as StaticValue[];
      if (value === undefined && p.initializer) value = this.evaluate(p.initializer, env, depth + 1);
      bindPattern(p.name, value, bindings);
    });
    const body = fn.body;
    if (!body) return dynamic(safeText(fn, file));
    if (!ts.isBlock(body)) return this.evaluate(body, env, depth + 1);
    for (const st of body.statements) {
      if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations)
          if (d.initializer) bindPattern(d.name, this.evaluate(d.initializer, env, depth + 1), bindings);
        continue;
      }
      if (ts.isReturnStatement(st)) return st.expression ? this.evaluate(st.expression, env, depth + 1) : undefined;
      if (ts.isExpressionStatement(st) || ts.isEmptyStatement(st)) continue;
      // Branches and loops: the result depends on run-time values.
      return dynamic(`${fn.name ? safeText(fn.name, file) : "function"}(…)`);
    }
    return undefined;
  }

  #evaluateDeclaration(decl: Declaration, env: EvalEnv, depth: number): StaticValue | undefined {
    const { node, topLevel } = decl;
    if (ts.isFunctionDeclaration(node)) return dynamic("function");
    if (!ts.isVariableDeclaration(node)) return dynamic(safeText(node, env.file));
    const init = node.initializer;
    if (!init) return dynamic(safeText(node.name, env.file));
    if (!ts.isIdentifier(node.name)) {
      // const { a, b } = CONFIG: evaluate the whole initializer and pick the binding.
      const whole = this.evaluate(init, topLevel ? this.env(env.file) : env, depth);
      const bindings = new Map<string, StaticValue | undefined>();
      bindPattern(node.name, whole, bindings);
      return bindings.get(decl.name);
    }
    if (this.#inProgress.has(node)) return dynamic(node.name.text);
    if (topLevel && this.#topLevelCache.has(node)) return this.#topLevelCache.get(node);
    this.#inProgress.add(node);
    try {
      const value = this.evaluate(init, topLevel ? this.env(env.file) : env, depth);
      if (topLevel) this.#topLevelCache.set(node, value);
      return value;
    } finally {
      this.#inProgress.delete(node);
    }
  }

  #resolveImport(file: ParsedJs, name: string): { decl: Declaration; file: ParsedJs } | null {
    for (const st of file.sourceFile.statements) {
      if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || !st.importClause) continue;
      const spec = st.moduleSpecifier.text;
      if (!spec.startsWith(".")) continue;
      const clause = st.importClause;
      let exported: string | null = null;
      if (clause.name?.text === name) exported = "default";
      const named = clause.namedBindings;
      if (named && ts.isNamedImports(named)) {
        for (const el of named.elements) if (el.name.text === name) exported = (el.propertyName ?? el.name).text;
      }
      if (!exported) continue;
      const target = this.#resolveModule(file.path, spec);
      if (!target) return null;
      const decl = exported === "default" ? defaultExport(target) : findDeclarationIn(target.sourceFile, exported, true);
      return decl ? { decl, file: target } : null;
    }
    return null;
  }

  #resolveModule(fromPath: string, spec: string): ParsedJs | null {
    return resolveJsModule(this.files, fromPath, spec);
  }

  #template(node: ts.TemplateExpression, env: EvalEnv, depth: number): StaticValue {
    let out = node.head.text;
    for (const span of node.templateSpans) {
      const v = this.evaluate(span.expression, env, depth);
      if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out += String(v);
      else return dynamic(safeText(node, env.file));
      out += span.literal.text;
      if (out.length > MAX_STRING) return dynamic(safeText(node, env.file));
    }
    return out;
  }

  #taggedTemplate(node: ts.TaggedTemplateExpression, env: EvalEnv, depth: number): StaticValue {
    const tag = safeText(node.tag, env.file);
    const inner = this.evaluate(node.template, env, depth);
    if (typeof inner !== "string") return dynamic(safeText(node, env.file));
    if (/^(?:dedent|outdent|stripIndent|stripIndents|oneLine|oneLineTrim|trimIndent)$/.test(tag)) return dedent(inner);
    if (tag === "String.raw") {
      const t = node.template;
      if (ts.isNoSubstitutionTemplateLiteral(t)) return t.rawText ?? inner;
      return inner;
    }
    return dynamic(safeText(node, env.file));
  }

  #binary(node: ts.BinaryExpression, env: EvalEnv, depth: number): StaticValue | undefined {
    const op = node.operatorToken.kind;
    if (op === ts.SyntaxKind.PlusToken) {
      const l = this.evaluate(node.left, env, depth);
      const r = this.evaluate(node.right, env, depth);
      if (typeof l === "number" && typeof r === "number") return l + r;
      if ((typeof l === "string" || typeof l === "number") && (typeof r === "string" || typeof r === "number")) {
        const s = String(l) + String(r);
        return s.length > MAX_STRING ? dynamic(safeText(node, env.file)) : s;
      }
      return dynamic(safeText(node, env.file));
    }
    if (op === ts.SyntaxKind.InKeyword) {
      const key = this.evaluate(node.left, env, depth);
      const obj = this.evaluate(node.right, env, depth);
      if ((typeof key === "string" || typeof key === "number") && isRecord(obj) && !obj.$spread) return Object.hasOwn(obj, String(key));
      return dynamic(safeText(node, env.file));
    }
    if (
      op === ts.SyntaxKind.EqualsEqualsEqualsToken ||
      op === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
      op === ts.SyntaxKind.EqualsEqualsToken ||
      op === ts.SyntaxKind.ExclamationEqualsToken
    ) {
      const l = this.evaluate(node.left, env, depth);
      const r = this.evaluate(node.right, env, depth);
      const primitive = (v: unknown) => v === undefined || v === null || typeof v !== "object";
      if (!primitive(l) || !primitive(r)) return dynamic(safeText(node, env.file));
      const loose = op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken;
      const equal = loose ? (l ?? null) === (r ?? null) : l === r;
      return op === ts.SyntaxKind.EqualsEqualsEqualsToken || op === ts.SyntaxKind.EqualsEqualsToken ? equal : !equal;
    }
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) {
      const l = this.evaluate(node.left, env, depth);
      if (isDynamic(l)) return dynamic(safeText(node, env.file));
      return l ? this.evaluate(node.right, env, depth) : l;
    }
    if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken) {
      const l = this.evaluate(node.left, env, depth);
      if (isDynamic(l)) return dynamic(safeText(node, env.file));
      const useLeft = op === ts.SyntaxKind.QuestionQuestionToken ? l !== null && l !== undefined : Boolean(l);
      return useLeft ? l : this.evaluate(node.right, env, depth);
    }
    return dynamic(safeText(node, env.file));
  }

  #object(node: ts.ObjectLiteralExpression, env: EvalEnv, depth: number): StaticValue {
    const out: Record<string, StaticValue> = {};
    const nodes = new Map<string, ts.Node>();
    for (const prop of node.properties) {
      if (ts.isSpreadAssignment(prop)) {
        const v = this.evaluate(prop.expression, env, depth);
        if (isRecord(v)) {
          Object.assign(out, v);
          const inner = this.propertyNodes.get(v);
          if (inner) for (const [k, n] of inner) nodes.set(k, n);
        } else if (v !== undefined && v !== null) out.$spread = dynamic(`...${safeText(prop.expression, env.file)}`);
        continue;
      }
      const key = this.#propertyKey(prop.name, env, depth);
      if (key === null) continue;
      let value: StaticValue | undefined;
      if (ts.isPropertyAssignment(prop)) value = this.evaluate(prop.initializer, env, depth);
      else if (ts.isShorthandPropertyAssignment(prop)) value = this.lookup(prop.name, env, depth);
      else value = dynamic("function");
      nodes.set(key, ts.isPropertyAssignment(prop) ? prop.initializer : prop);
      if (value !== undefined) out[key] = value;
      else delete out[key];
    }
    this.origins.set(out, node);
    this.propertyNodes.set(out, nodes);
    return out;
  }

  #propertyKey(name: ts.PropertyName | undefined, env: EvalEnv, depth: number): string | null {
    if (!name) return null;
    if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
    if (ts.isComputedPropertyName(name)) {
      const k = this.evaluate(name.expression, env, depth);
      return typeof k === "string" || typeof k === "number" ? String(k) : null;
    }
    return null;
  }

  #array(node: ts.ArrayLiteralExpression, env: EvalEnv, depth: number): StaticValue {
    const out: StaticValue[] = [];
    for (const el of node.elements) {
      if (out.length > MAX_ARRAY) return dynamic(safeText(node, env.file));
      if (ts.isSpreadElement(el)) {
        const v = this.evaluate(el.expression, env, depth);
        if (Array.isArray(v)) out.push(...v);
        else out.push(dynamic(`...${safeText(el.expression, env.file)}`));
        continue;
      }
      if (ts.isOmittedExpression(el)) continue;
      const v = this.evaluate(el, env, depth);
      out.push(v === undefined ? null : v);
    }
    this.origins.set(out, node);
    return out;
  }

  #member(target: StaticValue | undefined, key: string, node: ts.Node, env: EvalEnv): StaticValue | undefined {
    if (Array.isArray(target)) {
      if (key === "length") return target.length;
      const i = Number(key);
      return Number.isInteger(i) ? target[i] : dynamic(safeText(node, env.file));
    }
    if (typeof target === "string" && key === "length") return target.length;
    if (isRecord(target)) {
      if (Object.hasOwn(target, key)) return target[key];
      // A dynamic spread may have supplied the key.
      return target.$spread ? dynamic(safeText(node, env.file)) : undefined;
    }
    return dynamic(safeText(node, env.file));
  }

  #call(node: ts.CallExpression, env: EvalEnv, depth: number): StaticValue | undefined {
    const callee = node.expression;
    const text = () => dynamic(safeText(node, env.file));
    if (ts.isPropertyAccessExpression(callee)) {
      const method = callee.name.text;
      const owner = safeText(callee.expression, env.file);
      if (owner === "Object" && node.arguments[0]) {
        const v = this.evaluate(node.arguments[0], env, depth);
        if (method === "freeze") return v;
        if (!isRecord(v)) return text();
        if (method === "entries") return Object.entries(v).map(([k, x]) => [k, x]);
        if (method === "keys") return Object.keys(v);
        if (method === "values") return Object.values(v);
        return text();
      }
      if (owner === "JSON" && method === "stringify" && node.arguments[0]) {
        const v = this.evaluate(node.arguments[0], env, depth);
        return v === undefined || containsDynamic(v) ? text() : JSON.stringify(v);
      }
      const receiver = this.evaluate(callee.expression, env, depth);
      if (Array.isArray(receiver)) return this.#arrayMethod(receiver, method, node, env, depth) ?? text();
      if (typeof receiver === "string")
        return (
          stringMethod(
            receiver,
            method,
            node.arguments.map((a) => this.evaluate(a, env, depth)),
          ) ?? text()
        );
      return text();
    }
    if (ts.isIdentifier(callee)) {
      if (callee.text === "String" && node.arguments[0]) {
        const v = this.evaluate(node.arguments[0], env, depth);
        return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : text();
      }
      const resolved = this.resolveFunction(callee, env);
      if (resolved) {
        const args = node.arguments.map((a) => (ts.isSpreadElement(a) ? dynamic(safeText(a, env.file)) : this.evaluate(a, env, depth)));
        return this.callFunction(resolved.fn, resolved.file, args, depth);
      }
    }
    return text();
  }

  #arrayMethod(
    receiver: StaticValue[],
    method: string,
    node: ts.CallExpression,
    env: EvalEnv,
    depth: number,
  ): StaticValue | undefined | null {
    const arg = node.arguments[0];
    switch (method) {
      case "join": {
        const sep = arg ? this.evaluate(arg, env, depth) : ",";
        if (typeof sep !== "string" || receiver.some((v) => typeof v !== "string" && typeof v !== "number")) return null;
        return receiver.join(sep);
      }
      case "concat": {
        const out = [...receiver];
        for (const a of node.arguments) {
          const v = this.evaluate(a, env, depth);
          if (Array.isArray(v)) out.push(...v);
          else if (v !== undefined) out.push(v);
        }
        return out;
      }
      case "flat":
        return receiver.flatMap((v) => (Array.isArray(v) ? v : [v]));
      case "map":
      case "flatMap":
      case "filter": {
        if (!arg || !(ts.isArrowFunction(arg) || ts.isFunctionExpression(arg))) return null;
        const out: StaticValue[] = [];
        for (const [i, el] of receiver.entries()) {
          const v = this.callFunction(arg, env.file, [el, i], depth);
          if (method === "filter") {
            if (v === undefined || isDynamic(v)) return null;
            if (v) out.push(el);
          } else if (method === "flatMap" && Array.isArray(v)) out.push(...v);
          else {
            if (v !== null && typeof v === "object" && !Array.isArray(v) && el !== null && typeof el === "object") {
              // A tool built by .map over a constant list is located at its element in that list.
              const origin = this.origins.get(el);
              if (origin) this.origins.set(v, origin);
            }
            out.push(v === undefined ? null : v);
          }
        }
        return out;
      }
    }
    return null;
  }
}

/** The file a relative module specifier names, trying the extensions and index files a bundler would. */
export function resolveJsModule<F>(files: ReadonlyMap<string, F>, fromPath: string, spec: string): F | null {
  if (!spec.startsWith(".")) return null;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromPath), spec));
  const stem = base.replace(/\.(?:js|jsx|mjs|cjs)$/, "");
  const candidates = [base, ...JS_RESOLVE_EXTENSIONS.map((e) => stem + e), ...JS_RESOLVE_EXTENSIONS.map((e) => `${base}/index${e}`)];
  for (const c of candidates) {
    const f = files.get(c);
    if (f) return f;
  }
  return null;
}

/** Relative modules a file imports or re-exports (static imports, `export … from`, `import()` and `require()`). */
export function relativeImports(file: ParsedJs): string[] {
  const out: string[] = [];
  const add = (node: ts.Node | undefined) => {
    if (node && ts.isStringLiteralLike(node) && node.text.startsWith(".")) out.push(node.text);
  };
  for (const st of file.sourceFile.statements) {
    if (ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) add(st.moduleSpecifier);
  }
  if (/\brequire\s*\(|\bimport\s*\(/.test(file.text)) {
    walk(file.sourceFile, (n) => {
      if (
        ts.isCallExpression(n) &&
        (n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === "require"))
      )
        add(n.arguments[0]);
    });
  }
  return out;
}

export interface Declaration {
  node: ts.VariableDeclaration | ts.FunctionDeclaration | ts.ExportAssignment;
  name: string;
  /** Declared at the top of a module: its value doesn't depend on a call's arguments. */
  topLevel: boolean;
}

/** The nearest lexical `const`/`let`/`var`/function declaration of `name` visible from `from`. */
export function findDeclaration(from: ts.Node, name: string): Declaration | null {
  for (let n: ts.Node | undefined = from.parent; n; n = n.parent) {
    if (ts.isBlock(n) || ts.isSourceFile(n) || ts.isModuleBlock(n) || ts.isCaseClause(n) || ts.isDefaultClause(n)) {
      const found = findDeclarationIn(n, name, ts.isSourceFile(n));
      if (found) return found;
    }
  }
  return null;
}

export function findDeclarationIn(
  container: ts.SourceFile | ts.Block | ts.ModuleBlock | ts.CaseClause | ts.DefaultClause,
  name: string,
  topLevel: boolean,
): Declaration | null {
  for (const st of container.statements) {
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (bindsName(d.name, name)) return { node: d, name, topLevel };
    } else if (ts.isFunctionDeclaration(st) && st.name?.text === name) return { node: st, name, topLevel };
  }
  return null;
}

function defaultExport(file: ParsedJs): Declaration | null {
  for (const st of file.sourceFile.statements) if (ts.isExportAssignment(st)) return { node: st, name: "default", topLevel: true };
  return null;
}

function bindsName(pattern: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(pattern)) return pattern.text === name;
  return pattern.elements.some((el) => !ts.isOmittedExpression(el) && bindsName(el.name, name));
}

/** The function a declaration holds: `function f() {}`, `const f = () => …`, `const f = function () {}`. */
export function functionOf(node: ts.Node): (ts.SignatureDeclaration & { body?: ts.Node }) | null {
  if (ts.isFunctionDeclaration(node)) return node;
  if (ts.isExportAssignment(node))
    return ts.isArrowFunction(node.expression) || ts.isFunctionExpression(node.expression) ? node.expression : null;
  if (ts.isVariableDeclaration(node) && node.initializer) {
    let init: ts.Expression = node.initializer;
    while (ts.isParenthesizedExpression(init) || ts.isAsExpression(init) || ts.isSatisfiesExpression(init)) init = init.expression;
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
  }
  return null;
}

/** Binds a parameter or loop-variable pattern (`t`, `{ name, ...rest }`, `[key, value]`) to a value. */
export function bindPattern(pattern: ts.BindingName, value: StaticValue | undefined, into: Map<string, StaticValue | undefined>): void {
  if (ts.isIdentifier(pattern)) {
    into.set(pattern.text, value);
    return;
  }
  if (ts.isObjectBindingPattern(pattern)) {
    const used = new Set<string>();
    for (const el of pattern.elements) {
      if (el.dotDotDotToken) {
        if (isRecord(value)) {
          const rest = Object.fromEntries(Object.entries(value).filter(([k]) => !used.has(k)));
          into.set(bindingText(el.name), rest);
        } else into.set(bindingText(el.name), dynamic(`...${bindingText(el.name)}`));
        continue;
      }
      const key = el.propertyName
        ? ts.isIdentifier(el.propertyName) || ts.isStringLiteral(el.propertyName)
          ? el.propertyName.text
          : null
        : ts.isIdentifier(el.name)
          ? el.name.text
          : null;
      if (key === null) continue;
      used.add(key);
      const v = isRecord(value) ? value[key] : value === undefined ? undefined : dynamic(key);
      bindPattern(el.name, v, into);
    }
    return;
  }
  pattern.elements.forEach((el, i) => {
    if (ts.isOmittedExpression(el)) return;
    if (el.dotDotDotToken) {
      bindPattern(el.name, Array.isArray(value) ? value.slice(i) : dynamic("rest"), into);
      return;
    }
    bindPattern(el.name, Array.isArray(value) ? value[i] : value === undefined ? undefined : dynamic(bindingText(el.name)), into);
  });
}

function bindingText(name: ts.BindingName): string {
  return ts.isIdentifier(name) ? name.text : "pattern";
}

function stringMethod(s: string, method: string, args: Array<StaticValue | undefined>): StaticValue | null {
  switch (method) {
    case "trim":
      return s.trim();
    case "trimStart":
      return s.trimStart();
    case "trimEnd":
      return s.trimEnd();
    case "toUpperCase":
      return s.toUpperCase();
    case "toLowerCase":
      return s.toLowerCase();
    case "concat":
      return args.every((a) => typeof a === "string" || typeof a === "number") ? s + args.join("") : null;
    case "replaceAll":
    case "replace":
      return typeof args[0] === "string" && typeof args[1] === "string"
        ? method === "replace"
          ? s.replace(args[0], args[1])
          : s.replaceAll(args[0], args[1])
        : null;
  }
  return null;
}

function containsDynamic(v: StaticValue): boolean {
  if (isDynamic(v)) return true;
  if (Array.isArray(v)) return v.some(containsDynamic);
  if (isRecord(v)) return Object.values(v).some(containsDynamic);
  return false;
}

/** Removes the common leading indentation and the first and last blank lines, like the `dedent` package. */
export function dedent(s: string): string {
  const lines = s
    .replace(/^[ \t]*\r?\n/, "")
    .replace(/\r?\n[ \t]*$/, "")
    .split("\n");
  let indent = Infinity;
  for (const line of lines) if (line.trim()) indent = Math.min(indent, line.length - line.trimStart().length);
  if (!Number.isFinite(indent)) indent = 0;
  return lines.map((l) => l.slice(indent)).join("\n");
}

export function safeText(node: ts.Node, file: ParsedJs): string {
  try {
    return node.getText(file.sourceFile).slice(0, 200);
  } catch {
    return "expression";
  }
}
