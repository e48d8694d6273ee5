// A small static evaluator for JS/TS expressions: string constants, template literals, concatenation, object and array
// spreads, same-file and imported helper functions, `.map` over constant arrays. Nothing is run: whatever can't be
// known without running the code comes back as a dynamic marker holding the expression's text.
import path from "node:path";
import { ts, type JsSources, type ParsedJs } from "../js";
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
  readonly #moduleCache = new Map<ParsedJs, StaticValue>();
  /** Where each evaluated object came from, so callers can point at a line and find sibling nodes (handlers). */
  readonly origins = new WeakMap<object, ts.Node>();
  /** An object built by `.map` over a constant list (located at the list's element): the object literal that built it. */
  readonly builtAt = new WeakMap<object, ts.Node>();
  readonly propertyNodes = new WeakMap<object, Map<string, ts.Node>>();
  /** Records built by `new Map(...)`: they answer `.get(key)` and `.has(key)`. */
  readonly maps = new WeakSet<object>();

  constructor(
    readonly files: JsSources,
    readonly aliases: ModuleAliases = NO_ALIASES,
  ) {}

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
      case ts.SyntaxKind.ThisKeyword:
        // Bound when a class's method is read for one of its (sub)classes' instances.
        return env.bindings.has("this") ? env.bindings.get("this") : dynamic("this");
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
      const fromNamespace = this.#namespaceMember(node, env, next);
      if (fromNamespace !== null) return fromNamespace;
      const target = this.evaluate(node.expression, env, next);
      // `options?.flag` on a missing options object is undefined, like the rest of its chain.
      if ((target === undefined || target === null) && ts.isOptionalChain(node)) return undefined;
      return this.#member(target, node.name.text, node, env);
    }
    if (ts.isElementAccessExpression(node)) {
      const target = this.evaluate(node.expression, env, next);
      if ((target === undefined || target === null) && ts.isOptionalChain(node)) return undefined;
      const key = this.evaluate(node.argumentExpression, env, next);
      if (typeof key === "string" || typeof key === "number") return this.#member(target, String(key), node, env);
      return dynamic(safeText(node, env.file));
    }
    if (ts.isCallExpression(node)) return this.#call(node, env, next);
    if (ts.isNewExpression(node)) return this.#new(node, env, next);
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return dynamic("function");
    return dynamic(safeText(node, env.file));
  }

  /** `new Map(entries)` (a record that answers get/has) and `new Set(items)` (its items). */
  #new(node: ts.NewExpression, env: EvalEnv, depth: number): StaticValue | undefined {
    const ctor = ts.isIdentifier(node.expression) ? node.expression.text : null;
    if (ctor && ts.isIdentifier(node.expression) && ctor !== "Map" && ctor !== "Set") {
      const cls = this.#resolveClass(node.expression, env);
      if (cls) {
        const args = (node.arguments ?? []).map((a) =>
          ts.isSpreadElement(a) ? dynamic(safeText(a, env.file)) : this.evaluate(a, env, depth),
        );
        return this.#instance(cls.node, cls.file, args, depth, node);
      }
    }
    const arg = node.arguments?.[0];
    const v = arg ? this.evaluate(arg, env, depth) : [];
    if (ctor === "Set" && Array.isArray(v))
      return [...new Set(v.map((x) => canonicalKey(x)))].map((k) => v.find((x) => canonicalKey(x) === k)!);
    if (ctor === "Map") {
      const entries = Array.isArray(v) ? v : isRecord(v) && this.maps.has(v) ? Object.entries(v) : null;
      if (!entries) return dynamic(safeText(node, env.file));
      const out: Record<string, StaticValue> = {};
      for (const e of entries) {
        if (!Array.isArray(e) || (typeof e[0] !== "string" && typeof e[0] !== "number")) return dynamic(safeText(node, env.file));
        out[String(e[0])] = e[1] ?? null;
      }
      this.maps.add(out);
      return out;
    }
    return dynamic(safeText(node, env.file));
  }

  /** Resolves an identifier: loop and parameter bindings, then lexical const declarations, then relative imports. */
  lookup(id: ts.Identifier, env: EvalEnv, depth: number): StaticValue | undefined {
    if (env.bindings.has(id.text)) return env.bindings.get(id.text);
    const decl = findDeclaration(id, id.text);
    if (decl) return this.#evaluateDeclaration(decl, env, depth);
    const imported = this.#resolveImport(env.file, id.text);
    if (imported) return this.#evaluateDeclaration(imported.decl, this.env(imported.file), depth);
    const namespace = this.namespaceImport(env.file, id.text);
    if (namespace) return this.#moduleRecord(namespace, depth);
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
    const node = found.decl.node;
    // `export default tool;` names a function declared above it.
    if (ts.isExportAssignment(node) && ts.isIdentifier(node.expression)) {
      const named = findDeclarationIn(found.file.sourceFile, node.expression.text, true);
      const fn = named ? functionOf(named.node) : null;
      return fn ? { fn, file: found.file } : null;
    }
    const fn = functionOf(node);
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

  /** The function an object literal holds under `key` (`{ run() {} }`, `{ run: () => … }`, `{ run: helper }`, `{ helper }`). */
  #functionProperty(
    record: Record<string, StaticValue>,
    key: string,
  ): { fn: ts.SignatureDeclaration & { body?: ts.Node }; file: ParsedJs } | null {
    const node = this.propertyNodes.get(record)?.get(key);
    if (!node) return null;
    const file = this.files.get(node.getSourceFile().fileName);
    if (!file) return null;
    if (ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node) || ts.isFunctionDeclaration(node))
      return { fn: node, file };
    const id = ts.isShorthandPropertyAssignment(node) ? node.name : ts.isIdentifier(node) ? node : null;
    return id ? this.resolveFunction(id, this.env(file)) : null;
  }

  #evaluateDeclaration(decl: Declaration, env: EvalEnv, depth: number): StaticValue | undefined {
    const { node, topLevel } = decl;
    if (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) return dynamic(node.name?.text ?? "function");
    if (ts.isEnumDeclaration(node)) return this.#enumValue(node, env.file, depth);
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
      let value = this.evaluate(init, topLevel ? this.env(env.file) : env, depth);
      if (topLevel && value !== undefined && (Array.isArray(value) || isRecord(value)))
        value = this.#topLevelMutations(node, node.name.text, value, env.file, depth);
      if (topLevel) this.#topLevelCache.set(node, value);
      return value;
    } finally {
      this.#inProgress.delete(node);
    }
  }

  /** An instance of a class built with no arguments (for reading what each subclass of a tool base class declares). */
  instantiate(cls: ts.ClassDeclaration, file: ParsedJs): StaticValue {
    return this.#instance(cls, file, [], 0, cls.name ?? cls);
  }

  /** The class a name stands for, in this file or imported. */
  resolveClass(id: ts.Identifier, env: EvalEnv): { node: ts.ClassDeclaration; file: ParsedJs } | null {
    return this.#resolveClass(id, env);
  }

  #resolveClass(id: ts.Identifier, env: EvalEnv): { node: ts.ClassDeclaration; file: ParsedJs } | null {
    const decl = findDeclaration(id, id.text);
    const found = decl ? { decl, file: env.file } : this.#resolveImport(env.file, id.text);
    return found && ts.isClassDeclaration(found.decl.node) ? { node: found.decl.node, file: found.file } : null;
  }

  /**
   * `new SearchTool(args)`: a record of the instance's fields: property initializers, `this.x = …` in the
   * constructor (its parameters bound to the arguments), and methods (as functions), base classes first.
   */
  #instance(cls: ts.ClassDeclaration, file: ParsedJs, args: Array<StaticValue | undefined>, depth: number, at: ts.Node): StaticValue {
    if (depth > MAX_DEPTH || this.#inProgress.has(cls)) return dynamic(cls.name?.text ?? "object");
    this.#inProgress.add(cls);
    try {
      const out: Record<string, StaticValue> = {};
      const nodes = new Map<string, ts.Node>();
      const base = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
      if (base && ts.isIdentifier(base)) {
        const parent = this.#resolveClass(base, this.env(file));
        const inherited = parent ? this.#instance(parent.node, parent.file, args, depth + 1, at) : undefined;
        if (isRecord(inherited)) {
          Object.assign(out, inherited);
          for (const [k, n] of this.propertyNodes.get(inherited) ?? []) nodes.set(k, n);
        }
      }
      const bindings = new Map<string, StaticValue | undefined>();
      const getters: Array<{ key: string; node: ts.GetAccessorDeclaration }> = [];
      const ctor = cls.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m));
      ctor?.parameters.forEach((p, i) => bindPattern(p.name, args[i], bindings));
      const env = this.env(file, bindings);
      for (const m of cls.members) {
        const isStatic = ts.canHaveModifiers(m) && ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword);
        if (isStatic || !m.name) continue;
        const key = ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) ? m.name.text : null;
        if (!key) continue;
        if (ts.isPropertyDeclaration(m) && m.initializer) {
          const v = this.evaluate(m.initializer, env, depth + 1);
          if (v !== undefined) out[key] = v;
          nodes.set(key, m.initializer);
        } else if (ts.isMethodDeclaration(m)) {
          out[key] = dynamic("function");
          nodes.set(key, m);
        } else if (ts.isGetAccessorDeclaration(m) && m.body) {
          getters.push({ key, node: m });
        }
      }
      // constructor(readonly name: string) and this.name = … in the constructor body
      for (const p of ctor?.parameters ?? []) {
        const isField =
          ts.canHaveModifiers(p) &&
          ts
            .getModifiers(p)
            ?.some(
              (x) =>
                x.kind === ts.SyntaxKind.ReadonlyKeyword ||
                x.kind === ts.SyntaxKind.PublicKeyword ||
                x.kind === ts.SyntaxKind.PrivateKeyword ||
                x.kind === ts.SyntaxKind.ProtectedKeyword,
            );
        if (isField && ts.isIdentifier(p.name)) out[p.name.text] = bindings.get(p.name.text) ?? dynamic(p.name.text);
      }
      for (const st of ctor?.body?.statements ?? []) {
        if (
          !ts.isExpressionStatement(st) ||
          !ts.isBinaryExpression(st.expression) ||
          st.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken
        )
          continue;
        const left = st.expression.left;
        if (!ts.isPropertyAccessExpression(left) || left.expression.kind !== ts.SyntaxKind.ThisKeyword) continue;
        const v = this.evaluate(st.expression.right, env, depth + 1);
        if (v !== undefined) out[left.name.text] = v;
        nodes.set(left.name.text, st.expression.right);
      }
      // get annotations() { return { … } }: read with `this` bound to the fields known so far.
      for (const { key, node } of getters) {
        const only = node.body!.statements.length === 1 ? node.body!.statements[0] : undefined;
        const v =
          only && ts.isReturnStatement(only) && only.expression
            ? this.evaluate(only.expression, this.env(file, new Map([["this", out]])), depth + 1)
            : dynamic(key);
        if (v !== undefined) out[key] = v;
        nodes.set(key, node);
      }
      this.origins.set(out, at);
      this.propertyNodes.set(out, nodes);
      return out;
    } finally {
      this.#inProgress.delete(cls);
    }
  }

  /** A TypeScript enum as a record of its members (`enum Tool { Search = "search" }`; numeric members count up). */
  #enumValue(node: ts.EnumDeclaration, file: ParsedJs, depth: number): StaticValue {
    const cached = this.#topLevelCache.get(node);
    if (cached !== undefined) return cached;
    const out: Record<string, StaticValue> = {};
    const bindings = new Map<string, StaticValue | undefined>();
    let next = 0;
    for (const m of node.members) {
      const key = ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) ? m.name.text : null;
      if (key === null) continue;
      const v = m.initializer ? this.evaluate(m.initializer, this.env(file, bindings), depth + 1) : next;
      if (typeof v === "number") next = v + 1;
      out[key] = v ?? null;
      bindings.set(key, v);
    }
    this.#topLevelCache.set(node, out);
    return out;
  }

  /** A module's exports as a record, for `import * as tools` used as a value (`Object.values(tools)`). */
  #moduleRecord(file: ParsedJs, depth: number, seen = new Set<ParsedJs>()): StaticValue {
    const cached = this.#moduleCache.get(file);
    if (cached) return cached;
    if (seen.has(file) || seen.size > 5) return dynamic(file.path);
    seen.add(file);
    const out: Record<string, StaticValue> = {};
    const nodes = new Map<string, ts.Node>();
    const env = this.env(file);
    for (const st of file.sourceFile.statements) {
      if (ts.isVariableStatement(st) && isExported(st)) {
        for (const d of st.declarationList.declarations) {
          if (!ts.isIdentifier(d.name)) continue;
          const v = this.#evaluateDeclaration({ node: d, name: d.name.text, topLevel: true }, env, depth + 1);
          if (v !== undefined) out[d.name.text] = v;
          if (d.initializer) nodes.set(d.name.text, d.initializer);
        }
      } else if ((ts.isFunctionDeclaration(st) || ts.isEnumDeclaration(st) || ts.isClassDeclaration(st)) && st.name && isExported(st)) {
        const v = this.#evaluateDeclaration({ node: st, name: st.name.text, topLevel: true }, env, depth + 1);
        if (v !== undefined) out[st.name.text] = v;
        nodes.set(st.name.text, st);
      } else if (
        ts.isExportDeclaration(st) &&
        !st.isTypeOnly &&
        st.moduleSpecifier &&
        ts.isStringLiteral(st.moduleSpecifier) &&
        !st.exportClause
      ) {
        const from = this.#resolveModule(file.path, st.moduleSpecifier.text);
        const inner = from ? this.#moduleRecord(from, depth + 1, seen) : undefined;
        if (isRecord(inner)) {
          Object.assign(out, inner);
          for (const [k, n] of this.propertyNodes.get(inner) ?? []) nodes.set(k, n);
        }
      } else if (ts.isExportDeclaration(st) && !st.isTypeOnly && st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) {
          const found = this.#resolveExport(file, el.name.text, 0);
          if (!found) continue;
          const v = this.#evaluateDeclaration(found.decl, this.env(found.file), depth + 1);
          if (v !== undefined) out[el.name.text] = v;
        }
      }
    }
    this.propertyNodes.set(out, nodes);
    this.#moduleCache.set(file, out);
    return out;
  }

  /**
   * A module-level list, map or object filled by the statements after it: `TOOLS.push(...)`, `byId.set(k, v)`,
   * `REGISTRY[k] = v`, `Object.assign(X, …)`, also inside a top-level `for…of` or `.forEach` over constant data.
   */
  #topLevelMutations(decl: ts.VariableDeclaration, name: string, initial: StaticValue, file: ParsedJs, depth: number): StaticValue {
    const mutates = new RegExp(
      `(?<![\\w$.])${escapeRegExp(name)}\\s*(?:\\.\\s*(?:set|push|unshift|add)\\s*\\(|\\[[^\\]\\n]{1,200}\\]\\s*=(?!=)|\\.\\s*[\\w$]+\\s*=(?!=))|Object\\.assign\\(\\s*${escapeRegExp(name)}\\b`,
    );
    if (!mutates.test(file.text)) return initial;
    const statement = decl.parent?.parent;
    const sf = file.sourceFile;
    const start = statement ? sf.statements.indexOf(statement as ts.Statement) : -1;
    if (start < 0) return initial;
    let cur: StaticValue = Array.isArray(initial) ? [...initial] : { ...(initial as Record<string, StaticValue>) };
    if (isRecord(initial) && this.maps.has(initial)) this.maps.add(cur as object);
    const giveUp = (text: string) => {
      if (Array.isArray(cur)) cur = [...cur, dynamic(text)];
      else if (isRecord(cur)) cur = { ...cur, $spread: dynamic(text) };
    };
    const apply = (e: ts.Expression, env: EvalEnv): void => {
      if (++this.#steps > STEP_BUDGET) return giveUp(safeText(e, file));
      if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
        const target = e.expression.expression;
        const method = e.expression.name.text;
        if (
          ts.isIdentifier(target) &&
          target.text === "Object" &&
          method === "assign" &&
          e.arguments[0] &&
          ts.isIdentifier(e.arguments[0]) &&
          e.arguments[0].text === name
        ) {
          for (const a of e.arguments.slice(1)) {
            const v = this.evaluate(a, env, depth + 1);
            if (isRecord(v) && isRecord(cur)) cur = Object.assign({ ...cur }, v);
            else giveUp(safeText(e, file));
          }
          return;
        }
        if (!ts.isIdentifier(target) || target.text !== name || env.bindings.has(name)) return;
        const args = e.arguments.map((a) =>
          ts.isSpreadElement(a) ? this.evaluate(a.expression, env, depth + 1) : this.evaluate(a, env, depth + 1),
        );
        const spread = e.arguments.map((a) => ts.isSpreadElement(a));
        if (Array.isArray(cur) && (method === "push" || method === "unshift" || method === "add")) {
          const items: StaticValue[] = [];
          args.forEach((v, i) => {
            if (spread[i]) {
              if (Array.isArray(v)) items.push(...v);
              else items.push(dynamic(safeText(e.arguments[i]!, file)));
            } else items.push(v === undefined ? null : v);
          });
          cur = method === "unshift" ? [...items, ...cur] : [...cur, ...items];
          if (cur.length > MAX_ARRAY) cur = dynamic(name);
          return;
        }
        if (isRecord(cur) && method === "set") {
          const k = args[0];
          if (typeof k === "string" || typeof k === "number") cur = { ...cur, [String(k)]: args[1] ?? null };
          else giveUp(safeText(e, file));
          if (this.maps.has(initial as object)) this.maps.add(cur as object);
        }
        return;
      }
      if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const left = e.left;
        if (!ts.isElementAccessExpression(left) && !ts.isPropertyAccessExpression(left)) return;
        const owner = left.expression;
        if (!ts.isIdentifier(owner) || owner.text !== name || env.bindings.has(name)) return;
        const key = ts.isPropertyAccessExpression(left) ? left.name.text : this.evaluate(left.argumentExpression, env, depth + 1);
        const v = this.evaluate(e.right, env, depth + 1);
        if (isRecord(cur) && (typeof key === "string" || typeof key === "number")) {
          const wasMap = this.maps.has(cur);
          cur = { ...cur, [String(key)]: v ?? null };
          if (wasMap) this.maps.add(cur);
        } else if (Array.isArray(cur) && typeof key === "number") {
          const next = [...cur];
          next[key] = v ?? null;
          cur = next;
        } else giveUp(safeText(e, file));
      }
    };
    let exhausted = false;
    const run = (st: ts.Statement, env: EvalEnv, level: number): void => {
      if (level > 3 || exhausted) return;
      if (this.#steps > STEP_BUDGET) {
        // Out of budget: the rest of what this module adds is unknown.
        exhausted = true;
        return giveUp(name);
      }
      if (ts.isExpressionStatement(st)) {
        const e = st.expression;
        // LIST.forEach((item) => { … }) over constant data
        if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === "forEach") {
          const cb = e.arguments[0];
          if (
            cb &&
            (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) &&
            cb.parameters[0] &&
            new RegExp(`\\b${escapeRegExp(name)}\\b`).test(safeFullText(cb, file))
          ) {
            const items = this.evaluate(e.expression.expression, env, depth + 1);
            if (!Array.isArray(items)) return giveUp(safeText(e, file));
            for (const item of items.slice(0, MAX_ARRAY)) {
              const bindings = new Map(env.bindings);
              bindPattern(cb.parameters[0].name, item, bindings);
              const inner = this.env(file, bindings);
              if (ts.isBlock(cb.body)) for (const s2 of cb.body.statements) run(s2, inner, level + 1);
              else apply(cb.body as ts.Expression, inner);
            }
            return;
          }
        }
        apply(e, env);
        return;
      }
      if (ts.isForOfStatement(st) && ts.isVariableDeclarationList(st.initializer) && st.initializer.declarations[0]) {
        if (!new RegExp(`\\b${escapeRegExp(name)}\\b`).test(safeFullText(st.statement, file))) return;
        const items = this.evaluate(st.expression, env, depth + 1);
        if (!Array.isArray(items)) return giveUp(safeText(st.expression, file));
        for (const item of items.slice(0, MAX_ARRAY)) {
          const bindings = new Map(env.bindings);
          bindPattern(st.initializer.declarations[0].name, item, bindings);
          const inner = this.env(file, bindings);
          if (ts.isBlock(st.statement)) for (const s2 of st.statement.statements) run(s2, inner, level + 1);
          else run(st.statement, inner, level + 1);
        }
      }
    };
    for (const st of sf.statements.slice(start + 1)) run(st, this.env(file), 0);
    return cur;
  }

  #resolveImport(file: ParsedJs, name: string): { decl: Declaration; file: ParsedJs } | null {
    for (const st of file.sourceFile.statements) {
      if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || !st.importClause) continue;
      const spec = st.moduleSpecifier.text;
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
      return this.#resolveExport(target, exported, 0);
    }
    return null;
  }

  /** An exported name of a module: declared there, re-exported from another (`export { x } from`, `export *`) or imported and exported. */
  #resolveExport(target: ParsedJs, exported: string, depth: number): { decl: Declaration; file: ParsedJs } | null {
    if (depth > 5) return null;
    if (exported === "default") {
      const d = defaultExport(target);
      return d ? { decl: d, file: target } : null;
    }
    const decl = findDeclarationIn(target.sourceFile, exported, true);
    if (decl) return { decl, file: target };
    for (const st of target.sourceFile.statements) {
      if (!ts.isExportDeclaration(st) || st.isTypeOnly) continue;
      const from =
        st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier) ? this.#resolveModule(target.path, st.moduleSpecifier.text) : null;
      const clause = st.exportClause;
      if (!clause) {
        const found = from ? this.#resolveExport(from, exported, depth + 1) : null;
        if (found) return found;
        continue;
      }
      if (!ts.isNamedExports(clause)) continue;
      for (const el of clause.elements) {
        if (el.name.text !== exported) continue;
        const local = (el.propertyName ?? el.name).text;
        if (from) return this.#resolveExport(from, local, depth + 1);
        const own = findDeclarationIn(target.sourceFile, local, true);
        return own ? { decl: own, file: target } : this.#resolveImport(target, local);
      }
    }
    return null;
  }

  /** The module an `import * as ns from "…"` binds to `name`, if any. */
  namespaceImport(file: ParsedJs, name: string): ParsedJs | null {
    for (const st of file.sourceFile.statements) {
      if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
      const named = st.importClause?.namedBindings;
      if (named && ts.isNamespaceImport(named) && named.name.text === name) return this.#resolveModule(file.path, st.moduleSpecifier.text);
    }
    return null;
  }

  /** `ns.name` where `ns` is a namespace import: the module's export. */
  #namespaceMember(node: ts.PropertyAccessExpression, env: EvalEnv, depth: number): StaticValue | undefined | null {
    if (!ts.isIdentifier(node.expression) || env.bindings.has(node.expression.text)) return null;
    if (findDeclaration(node.expression, node.expression.text)) return null;
    const target = this.namespaceImport(env.file, node.expression.text);
    if (!target) return null;
    const found = this.#resolveExport(target, node.name.text, 0);
    return found ? this.#evaluateDeclaration(found.decl, this.env(found.file), depth) : dynamic(safeText(node, env.file));
  }

  #resolveModule(fromPath: string, spec: string): ParsedJs | null {
    return resolveJsModule(this.files, fromPath, spec, this.aliases);
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
        if (method === "fromEntries" && Array.isArray(v)) {
          const out: Record<string, StaticValue> = {};
          for (const e of v) {
            if (!Array.isArray(e) || (typeof e[0] !== "string" && typeof e[0] !== "number")) return text();
            out[String(e[0])] = e[1] ?? null;
          }
          return out;
        }
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
      if (owner === "Array" && method === "from" && node.arguments[0]) {
        const v = this.evaluate(node.arguments[0], env, depth);
        return Array.isArray(v) ? [...v] : text();
      }
      const receiver = this.evaluate(callee.expression, env, depth);
      if ((receiver === undefined || receiver === null) && ts.isOptionalChain(node)) return undefined;
      if (isRecord(receiver) && this.maps.has(receiver)) {
        const key = node.arguments[0] ? this.evaluate(node.arguments[0], env, depth) : undefined;
        if (method === "get" && (typeof key === "string" || typeof key === "number"))
          return Object.hasOwn(receiver, String(key)) ? receiver[String(key)] : undefined;
        if (method === "has" && (typeof key === "string" || typeof key === "number")) return Object.hasOwn(receiver, String(key));
        if (method === "keys") return Object.keys(receiver);
        if (method === "values") return Object.values(receiver);
        if (method === "entries") return Object.entries(receiver).map(([k, x]) => [k, x]);
        return text();
      }
      if (Array.isArray(receiver)) return this.#arrayMethod(receiver, method, node, env, depth) ?? text();
      if (isRecord(receiver)) {
        // deps.listTools() where deps = { listTools, … }: the function the object holds.
        const fn = this.#functionProperty(receiver, method);
        if (fn) {
          const args = node.arguments.map((a) => (ts.isSpreadElement(a) ? dynamic(safeText(a, env.file)) : this.evaluate(a, env, depth)));
          return this.callFunction(fn.fn, fn.file, args, depth);
        }
      }
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
      case "includes": {
        const v = arg ? this.evaluate(arg, env, depth) : undefined;
        if (v === undefined || (v !== null && typeof v === "object")) return null;
        return receiver.some((x) => x !== null && typeof x === "object" && !Array.isArray(x) && isDynamic(x)) ? null : receiver.includes(v);
      }
      case "slice": {
        const a = arg ? this.evaluate(arg, env, depth) : 0;
        const b = node.arguments[1] ? this.evaluate(node.arguments[1], env, depth) : undefined;
        return typeof a === "number" && (b === undefined || typeof b === "number") ? receiver.slice(a, b) : null;
      }
      case "find":
      case "some":
      case "every": {
        if (!arg || !(ts.isArrowFunction(arg) || ts.isFunctionExpression(arg))) return null;
        for (const [i, el] of receiver.entries()) {
          const v = this.callFunction(arg, env.file, [el, i], depth);
          if (v === undefined && method !== "find") return null;
          if (isDynamic(v)) return null;
          if (method === "find" && v) return el;
          if (method === "some" && v) return true;
          if (method === "every" && !v) return false;
        }
        return method === "find" ? undefined : method === "every";
      }
      case "map":
      case "flatMap":
      case "filter": {
        if (!arg || !(ts.isArrowFunction(arg) || ts.isFunctionExpression(arg))) return null;
        const out: StaticValue[] = [];
        for (const [i, el] of receiver.entries()) {
          const v = this.callFunction(arg, env.file, [el, i], depth);
          if (method === "filter") {
            // A filter decided at run time (enabled tools, permissions) may keep any item: keep it.
            if (v === undefined || isDynamic(v) || v) out.push(el);
          } else if (method === "flatMap" && Array.isArray(v)) out.push(...v);
          else {
            if (v !== null && typeof v === "object" && !Array.isArray(v) && el !== null && typeof el === "object") {
              // A tool built by .map over a constant list is located at its element in that list.
              const origin = this.origins.get(el);
              const built = this.origins.get(v);
              if (built && origin && built !== origin) this.builtAt.set(v, built);
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

/** The file a module specifier names (relative, or a path alias of the project), trying the extensions and index files a bundler would. */
export function resolveJsModule<F>(
  files: { get(path: string): F | undefined },
  fromPath: string,
  spec: string,
  aliases: ModuleAliases = NO_ALIASES,
): F | null {
  const bases = spec.startsWith(".")
    ? [path.posix.normalize(path.posix.join(path.posix.dirname(fromPath), spec))]
    : aliases.resolve(fromPath, spec);
  for (const base of bases) {
    const stem = base.replace(/\.(?:js|jsx|mjs|cjs)$/, "");
    const candidates = [base, ...JS_RESOLVE_EXTENSIONS.map((e) => stem + e), ...JS_RESOLVE_EXTENSIONS.map((e) => `${base}/index${e}`)];
    for (const c of candidates) {
      const f = files.get(c);
      if (f) return f;
    }
  }
  return null;
}

interface AliasConfig {
  /** Folder of the tsconfig/jsconfig ("" for the root). */
  dir: string;
  baseUrl: string | null;
  paths: Array<{ prefix: string; suffix: string; wildcard: boolean; targets: string[] }>;
}

/** Path aliases from tsconfig/jsconfig `paths` and `baseUrl` (`@/lib/x`, `~/x`), each applying to the files under its folder. */
export class ModuleAliases {
  readonly #configs: AliasConfig[];
  /** Workspace package name → candidate entry paths (without extension); the last one is "<dir>|dir". */
  readonly #workspace: ReadonlyMap<string, string[]>;

  constructor(configs: AliasConfig[] = [], workspace: ReadonlyMap<string, string[]> = new Map()) {
    this.#configs = [...configs].sort((a, b) => b.dir.length - a.dir.length);
    this.#workspace = workspace;
  }

  /**
   * Reads every tsconfig*.json / jsconfig.json given as `{ path, text }` (comments and trailing commas allowed), and
   * the package.json files of a monorepo's workspace packages (`import { x } from "@org/core"` → packages/core/src).
   */
  static fromConfigFiles(
    files: Array<{ path: string; text: string }>,
    packages: Array<{ path: string; text: string }> = [],
  ): ModuleAliases {
    const configs: AliasConfig[] = [];
    const workspace = new Map<string, string[]>();
    for (const f of packages) {
      type PackageJson = { name?: unknown; main?: unknown; module?: unknown; types?: unknown; source?: unknown } | null;
      let pkg: PackageJson = null;
      try {
        pkg = JSON.parse(f.text) as PackageJson;
      } catch {
        continue;
      }
      if (!pkg || typeof pkg.name !== "string" || pkg.name.length > 214) continue;
      const dir = path.posix.dirname(f.path) === "." ? "" : path.posix.dirname(f.path);
      const join = (p: string) => path.posix.normalize(dir ? `${dir}/${p}` : p).replace(/^\.\//, "");
      const entries = [pkg.source, pkg.module, pkg.main, pkg.types]
        .filter((e): e is string => typeof e === "string")
        .flatMap((e) => [e, e.replace(/^(?:\.\/)?(?:dist|build|lib|out)\//, "src/")])
        .map((e) => join(e.replace(/\.d\.ts$/, "").replace(/\.(?:[cm]?js|ts)$/, "")));
      workspace.set(pkg.name, [...new Set([...entries, join("src/index"), join("index"), join("lib/index")])].concat(`${dir}|dir`));
    }
    for (const f of files) {
      const parsed = ts.parseConfigFileTextToJson(f.path, f.text);
      const options = (parsed.config as { compilerOptions?: { baseUrl?: unknown; paths?: unknown } } | undefined)?.compilerOptions;
      if (!options) continue;
      const dir = path.posix.dirname(f.path) === "." ? "" : path.posix.dirname(f.path);
      const baseUrl = typeof options.baseUrl === "string" ? path.posix.normalize(path.posix.join(dir, options.baseUrl)) : null;
      const paths: AliasConfig["paths"] = [];
      if (options.paths && typeof options.paths === "object") {
        for (const [pattern, targets] of Object.entries(options.paths as Record<string, unknown>)) {
          if (!Array.isArray(targets)) continue;
          const star = pattern.indexOf("*");
          paths.push({
            prefix: star < 0 ? pattern : pattern.slice(0, star),
            suffix: star < 0 ? "" : pattern.slice(star + 1),
            wildcard: star >= 0,
            targets: targets.filter((t): t is string => typeof t === "string"),
          });
        }
      }
      if (baseUrl !== null || paths.length > 0) configs.push({ dir, baseUrl, paths });
    }
    return new ModuleAliases(configs, workspace);
  }

  /** Candidate paths (without extension) for a non-relative specifier. */
  resolve(fromPath: string, spec: string): string[] {
    const out: string[] = [];
    // A workspace package: "@org/core" or "@org/core/sub/path".
    const pkgName = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
    const entries = this.#workspace.get(pkgName);
    if (entries) {
      const dir = entries[entries.length - 1]!.replace(/\|dir$/, "");
      const sub = spec.slice(pkgName.length).replace(/^\//, "");
      if (sub) out.push(path.posix.normalize(dir ? `${dir}/${sub}` : sub), path.posix.normalize(dir ? `${dir}/src/${sub}` : `src/${sub}`));
      else out.push(...entries.slice(0, -1));
    }
    const config = this.#configs.find((c) => c.dir === "" || fromPath.startsWith(`${c.dir}/`));
    if (config) {
      const root = config.baseUrl ?? config.dir;
      for (const p of config.paths) {
        const matches = p.wildcard
          ? spec.startsWith(p.prefix) && spec.endsWith(p.suffix) && spec.length >= p.prefix.length + p.suffix.length
          : spec === p.prefix;
        if (!matches) continue;
        const middle = p.wildcard ? spec.slice(p.prefix.length, spec.length - p.suffix.length) : "";
        for (const t of p.targets) out.push(path.posix.normalize(path.posix.join(root, t.replace("*", middle))));
      }
      if (config.baseUrl !== null) out.push(path.posix.normalize(path.posix.join(config.baseUrl, spec)));
    } else if (/^[@~]\//.test(spec)) {
      // No tsconfig: the two usual meanings of "@/x" and "~/x".
      out.push(spec.slice(2), `src/${spec.slice(2)}`);
    }
    return out.map((p) => p.replace(/^\.\//, "").replace(/^\.$/, ""));
  }
}

export const NO_ALIASES = new ModuleAliases();

export interface Declaration {
  node: ts.VariableDeclaration | ts.FunctionDeclaration | ts.ExportAssignment | ts.EnumDeclaration | ts.ClassDeclaration;
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
    else if ((ts.isEnumDeclaration(st) || ts.isClassDeclaration(st)) && st.name?.text === name) return { node: st, name, topLevel };
  }
  return null;
}

function defaultExport(file: ParsedJs): Declaration | null {
  for (const st of file.sourceFile.statements) {
    if (ts.isExportAssignment(st)) return { node: st, name: "default", topLevel: true };
    const isDefault = ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (isDefault && (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st))) return { node: st, name: "default", topLevel: true };
  }
  return null;
}

function isExported(st: ts.Statement): boolean {
  return ts.canHaveModifiers(st) && !!ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
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

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function safeFullText(node: ts.Node, file: ParsedJs): string {
  try {
    return node.getText(file.sourceFile);
  } catch {
    return "";
  }
}

function canonicalKey(v: StaticValue): string {
  return typeof v === "object" && v !== null ? JSON.stringify(v) : `${typeof v}:${String(v)}`;
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
