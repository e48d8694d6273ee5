// Facts from one TypeScript/JavaScript syntax tree (the TypeScript compiler API, syntax only: nothing is
// type-checked, resolved, imported or run). One walk per file: functions, calls with their argument values,
// bindings, assignments, comparisons, member reads, imports, exports and JSX attributes.
import path from "node:path";
import ts from "typescript";
import type { FunctionFact, ObjectEntry, ParamFact, SourceFileFact, Value } from "@/lib/core/facts";
import { clip, type FactsBuilder, MAX_VALUE_DEPTH, MAX_VALUE_ITEMS, unknownValue } from "./builder";

const COMPARISON_OPS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);
const ORDER_OPS = new Set([
  ts.SyntaxKind.LessThanToken,
  ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.LessThanEqualsToken,
  ts.SyntaxKind.GreaterThanEqualsToken,
  ts.SyntaxKind.InstanceOfKeyword,
  ts.SyntaxKind.InKeyword,
]);
const LOGICAL_OPS: ReadonlyMap<ts.SyntaxKind, string> = new Map([
  [ts.SyntaxKind.BarBarToken, "||"],
  [ts.SyntaxKind.QuestionQuestionToken, "??"],
  [ts.SyntaxKind.AmpersandAmpersandToken, "&&"],
]);

/** Deeper statement or expression nesting is not walked: generated or hostile code, never a connector's own. */
const MAX_NESTING = 400;

export function extractJs(builder: FactsBuilder, filePath: string, sf: ts.SourceFile): SourceFileFact {
  return new JsFile(builder, filePath, sf).run();
}

class JsFile {
  readonly #b: FactsBuilder;
  readonly #sf: ts.SourceFile;
  readonly #path: string;
  #fn!: FunctionFact;
  #nesting = 0;
  readonly #exports: Record<string, Value> = Object.create(null) as Record<string, Value>;
  readonly #functionsByNode = new Map<ts.Node, FunctionFact>();

  constructor(builder: FactsBuilder, filePath: string, sf: ts.SourceFile) {
    this.#b = builder;
    this.#sf = sf;
    this.#path = filePath;
  }

  run(): SourceFileFact {
    const lines = this.#sf.getLineAndCharacterOfPosition(this.#sf.getEnd()).line + 1;
    this.#fn = this.#b.newFunction({
      path: this.#path,
      line: 1,
      endLine: lines,
      name: null,
      isModule: true,
      className: null,
      params: [],
      receiverParam: false,
      exported: false,
      async: false,
      parent: null,
    });
    const moduleFn = this.#fn;
    const directives: string[] = [];
    for (const s of this.#sf.statements) {
      if (!ts.isExpressionStatement(s) || !ts.isStringLiteral(s.expression)) break;
      directives.push(s.expression.text);
    }
    this.#statements(this.#sf.statements);
    for (const value of Object.values(this.#exports)) this.#markExported(value, moduleFn);
    return {
      path: this.#path,
      language: "js",
      role: "server",
      roleReason: "",
      unparseable: null,
      module: moduleFn.id,
      directives,
      exports: this.#exports,
    };
  }

  #markExported(value: Value, module: FunctionFact): void {
    if (value.kind === "function") {
      const fn = this.#b.data.functions[value.fn];
      if (fn) fn.exported = true;
    } else if (value.kind === "ref" && !value.path.includes(".")) {
      for (const bound of module.bindings[value.path] ?? []) if (bound.kind === "function") this.#markExported(bound, module);
    } else if (value.kind === "object") {
      for (const e of value.entries) this.#markExported(e.value, module);
    }
  }

  // ---- positions and text ----

  #line(node: ts.Node): number {
    return this.#sf.getLineAndCharacterOfPosition(node.getStart(this.#sf)).line + 1;
  }

  #endLine(node: ts.Node): number {
    return this.#sf.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
  }

  #text(node: ts.Node, start = node.getStart(this.#sf)): string {
    return clip(this.#sf.text.slice(start, Math.min(node.getEnd(), start + 400)));
  }

  // ---- statements ----

  #statements(statements: ts.NodeArray<ts.Statement> | readonly ts.Statement[]): void {
    for (const s of statements) this.#statement(s);
  }

  #statement(node: ts.Node): void {
    if (this.#nesting > MAX_NESTING) return;
    this.#nesting++;
    try {
      this.#fn.shape.statements++;
      this.#statementInner(node);
    } finally {
      this.#nesting--;
    }
  }

  #statementInner(node: ts.Node): void {
    if (ts.isVariableStatement(node)) {
      const exported = hasExportModifier(node);
      for (const d of node.declarationList.declarations) this.#declaration(d, exported);
    } else if (ts.isFunctionDeclaration(node)) {
      const value = this.#function(node, node.name?.text ?? null);
      if (node.name) this.#b.bind(this.#fn, node.name.text, value);
      if (hasExportModifier(node)) this.#export(hasDefaultModifier(node) ? "default" : (node.name?.text ?? "default"), value);
    } else if (ts.isClassDeclaration(node)) {
      this.#class(node);
      if (node.name && hasExportModifier(node)) this.#export(hasDefaultModifier(node) ? "default" : node.name.text, this.#ref(node.name.text, node));
    } else if (ts.isExpressionStatement(node)) {
      this.#value(node.expression);
    } else if (ts.isReturnStatement(node)) {
      if (node.expression) this.#fn.returns.push(this.#value(node.expression));
    } else if (ts.isIfStatement(node)) {
      this.#fn.shape.branches++;
      this.#value(node.expression);
      this.#statement(node.thenStatement);
      if (node.elseStatement) this.#statement(node.elseStatement);
    } else if (ts.isSwitchStatement(node)) {
      this.#fn.shape.branches++;
      this.#value(node.expression);
      for (const clause of node.caseBlock.clauses) {
        if (ts.isCaseClause(clause)) this.#value(clause.expression);
        this.#statements(clause.statements);
      }
    } else if (ts.isThrowStatement(node)) {
      this.#fn.shape.throws++;
      this.#value(node.expression);
    } else if (ts.isTryStatement(node)) {
      this.#fn.shape.branches++;
      this.#statement(node.tryBlock);
      if (node.catchClause) {
        if (node.catchClause.variableDeclaration) this.#bindPattern(node.catchClause.variableDeclaration.name, unknownValue("error", "error"));
        this.#statement(node.catchClause.block);
      }
      if (node.finallyBlock) this.#statement(node.finallyBlock);
    } else if (ts.isForOfStatement(node) || ts.isForInStatement(node)) {
      const iterated = this.#value(node.expression);
      const element: Value = ts.isForOfStatement(node) ? unknownValue(this.#text(node.expression), "element", [iterated]) : unknownValue("key");
      const init = node.initializer;
      if (ts.isVariableDeclarationList(init)) for (const d of init.declarations) this.#bindPattern(d.name, element);
      else this.#value(init);
      this.#statement(node.statement);
    } else if (ts.isImportDeclaration(node)) {
      this.#import(node);
    } else if (ts.isExportDeclaration(node)) {
      this.#exportDeclaration(node);
    } else if (ts.isExportAssignment(node)) {
      this.#export("default", this.#value(node.expression, "default"));
    } else if (ts.isBlock(node) || ts.isModuleBlock(node)) {
      this.#statements(node.statements);
    } else if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isImportEqualsDeclaration(node)) {
      // Types and `import x = require()` carry no runtime data we follow.
    } else if (ts.isEnumDeclaration(node)) {
      for (const m of node.members) if (m.initializer) this.#value(m.initializer);
    } else {
      // Loops, labels, blocks of any other kind: walk statements as statements and expressions as values.
      ts.forEachChild(node, (child) => {
        if (isExpressionNode(child)) this.#value(child as ts.Expression);
        else if (ts.isVariableDeclarationList(child)) for (const d of child.declarations) this.#declaration(d, false);
        else this.#statement(child);
      });
    }
  }

  #declaration(d: ts.VariableDeclaration, exported: boolean): void {
    const name = ts.isIdentifier(d.name) ? d.name.text : null;
    if (!d.initializer) {
      if (name && exported) this.#export(name, this.#ref(name, d));
      return;
    }
    const init = unwrapExpression(d.initializer);
    // CommonJS: const x = require("m"), const { a, b } = require("m").
    if (ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === "require" && init.arguments[0] && ts.isStringLiteralLike(init.arguments[0])) {
      const names = ts.isIdentifier(d.name)
        ? [{ imported: "default", local: d.name.text }]
        : ts.isObjectBindingPattern(d.name)
          ? d.name.elements.flatMap((e) =>
              ts.isIdentifier(e.name) ? [{ imported: e.propertyName && ts.isIdentifier(e.propertyName) ? e.propertyName.text : e.name.text, local: e.name.text }] : [],
            )
          : [];
      this.#addImport(init.arguments[0].text, names, d);
    }
    const value = this.#value(d.initializer, name ?? undefined);
    this.#bindPattern(d.name, value);
    if (exported && name) this.#export(name, this.#ref(name, d));
  }

  #bindPattern(pattern: ts.BindingName, value: Value): void {
    if (ts.isIdentifier(pattern)) {
      this.#b.bind(this.#fn, pattern.text, value);
      return;
    }
    if (ts.isObjectBindingPattern(pattern)) {
      for (const e of pattern.elements) {
        const key = e.propertyName ? propertyKey(e.propertyName) : ts.isIdentifier(e.name) ? e.name.text : null;
        const member = e.dotDotDotToken || key === null ? unknownValue(this.#text(e), "element", [value]) : memberOf(value, key, this.#text(e));
        const withDefault = e.initializer ? unknownValue(this.#text(e), "??", [member, this.#value(e.initializer)]) : member;
        this.#bindPattern(e.name, withDefault);
      }
      return;
    }
    for (const e of pattern.elements) {
      if (ts.isOmittedExpression(e)) continue;
      this.#bindPattern(e.name, unknownValue(this.#text(e), "element", [value]));
    }
  }

  // ---- imports and exports ----

  #import(node: ts.ImportDeclaration): void {
    if (!ts.isStringLiteral(node.moduleSpecifier)) return;
    const clause = node.importClause;
    const names: Array<{ imported: string; local: string }> = [];
    if (clause && !clause.isTypeOnly) {
      if (clause.name) names.push({ imported: "default", local: clause.name.text });
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.push({ imported: "*", local: bindings.name.text });
      else if (bindings) {
        for (const el of bindings.elements) {
          if (el.isTypeOnly) continue;
          names.push({ imported: el.propertyName ? propertyKey(el.propertyName) ?? el.name.text : el.name.text, local: el.name.text });
        }
      }
    }
    this.#addImport(node.moduleSpecifier.text, names, node);
  }

  #addImport(module: string, names: Array<{ imported: string; local: string }>, node: ts.Node): void {
    this.#b.data.imports.push({ path: this.#path, line: this.#line(node), module: module.slice(0, 300), resolvedPath: null, names });
  }

  #exportDeclaration(node: ts.ExportDeclaration): void {
    if (node.isTypeOnly) return;
    const from = node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : null;
    if (from !== null) {
      // `export { a as b } from "./x"` and `export * from "./x"`: an import the linker follows for re-exports.
      const names =
        node.exportClause && ts.isNamedExports(node.exportClause)
          ? node.exportClause.elements.map((el) => ({ imported: el.propertyName ? propertyKey(el.propertyName) ?? el.name.text : el.name.text, local: `export:${el.name.text}` }))
          : [{ imported: "*", local: "export:*" }];
      this.#addImport(from, names, node);
      return;
    }
    if (node.exportClause && ts.isNamedExports(node.exportClause)) {
      for (const el of node.exportClause.elements) {
        const local = el.propertyName ? propertyKey(el.propertyName) ?? el.name.text : el.name.text;
        this.#export(el.name.text, this.#ref(local, el));
      }
    }
  }

  #export(name: string, value: Value): void {
    this.#exports[name] = value;
  }

  #ref(name: string, node: ts.Node): Value {
    return { kind: "ref", path: name, text: clip(name), ...(node ? {} : {}) };
  }

  // ---- functions and classes ----

  #function(node: ts.FunctionLikeDeclaration, name: string | null, className: string | null = null): Value {
    const parent = this.#fn;
    const fn = this.#b.newFunction({
      path: this.#path,
      line: this.#line(node),
      endLine: this.#endLine(node),
      name,
      isModule: false,
      className,
      params: [],
      receiverParam: false,
      exported: false,
      async: !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword),
      parent: parent.id,
    });
    this.#functionsByNode.set(node, fn);
    this.#fn = fn;
    try {
      fn.params = node.parameters.map((p, index) => this.#param(p, index));
      for (const p of fn.params) {
        if (p.fields.length > 0) for (const f of p.fields) this.#b.bind(fn, f, { kind: "ref", path: `${p.name}.${f}`, text: f });
      }
      if (ts.canHaveDecorators(node)) {
        for (const d of ts.getDecorators(node) ?? []) {
          const v = this.#value(d.expression);
          if (v.kind === "call") fn.decorators.push(v.call);
        }
      }
      const body = node.body;
      if (body && ts.isBlock(body)) this.#statements(body.statements);
      else if (body) fn.returns.push(this.#value(body as ts.Expression));
    } finally {
      this.#fn = parent;
    }
    return { kind: "function", fn: fn.id, text: this.#text(node) };
  }

  #param(p: ts.ParameterDeclaration, index: number): ParamFact {
    const fields: string[] = [];
    let name: string;
    if (ts.isIdentifier(p.name)) name = p.name.text;
    else {
      name = `$arg${index}`;
      if (ts.isObjectBindingPattern(p.name)) {
        for (const e of p.name.elements) {
          const key = e.propertyName ? propertyKey(e.propertyName) : ts.isIdentifier(e.name) ? e.name.text : null;
          if (key !== null && ts.isIdentifier(e.name)) {
            fields.push(key);
            if (key !== e.name.text) this.#b.bind(this.#fn, e.name.text, { kind: "ref", path: `${name}.${key}`, text: e.name.text });
          }
        }
      }
    }
    return {
      name,
      index,
      fields,
      type: p.type ? clip(p.type.getText(this.#sf)) : null,
      default: p.initializer ? this.#value(p.initializer) : null,
      rest: !!p.dotDotDotToken,
    };
  }

  #class(node: ts.ClassDeclaration | ts.ClassExpression): void {
    const name = node.name?.text ?? "(anonymous class)";
    const bases: string[] = [];
    for (const h of node.heritageClauses ?? []) for (const t of h.types) bases.push(clip(t.expression.getText(this.#sf)));
    const methods: number[] = [];
    for (const m of node.members) {
      if (ts.isMethodDeclaration(m) || ts.isConstructorDeclaration(m) || ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m)) {
        const methodName = ts.isConstructorDeclaration(m) ? "constructor" : m.name ? (propertyKey(m.name) ?? null) : null;
        const v = this.#function(m, methodName, name);
        if (v.kind === "function") methods.push(v.fn);
      } else if (ts.isPropertyDeclaration(m) && m.initializer) {
        const key = propertyKey(m.name);
        const v = this.#value(m.initializer, key ?? undefined);
        if (v.kind === "function") {
          const fn = this.#b.data.functions[v.fn];
          if (fn) fn.className = name;
          methods.push(v.fn);
        }
        if (key) this.#b.data.assignments.push({ path: this.#path, line: this.#line(m), fn: this.#fn.id, target: `this.${key}`, value: v, op: "=" });
      }
    }
    this.#b.data.classes.push({ path: this.#path, line: this.#line(node), name, bases, methods });
  }

  // ---- expressions ----

  #value(expr: ts.Expression, nameHint?: string, depth = 0): Value {
    if (depth > MAX_VALUE_DEPTH || this.#nesting > MAX_NESTING) return unknownValue(this.#text(expr), "too-deep");
    this.#nesting++;
    try {
      return this.#valueInner(expr, nameHint, depth + 1);
    } finally {
      this.#nesting--;
    }
  }

  #valueInner(expr: ts.Expression, nameHint: string | undefined, depth: number): Value {
    const fn = this.#fn;
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) {
      this.#b.word(fn, expr.text.slice(0, 200));
      return { kind: "string", value: expr.text, text: this.#text(expr) };
    }
    if (ts.isNumericLiteral(expr)) return { kind: "number", value: Number(expr.text), text: expr.text };
    switch (expr.kind) {
      case ts.SyntaxKind.TrueKeyword:
        return { kind: "boolean", value: true, text: "true" };
      case ts.SyntaxKind.FalseKeyword:
        return { kind: "boolean", value: false, text: "false" };
      case ts.SyntaxKind.NullKeyword:
        return { kind: "null", text: "null" };
      case ts.SyntaxKind.ThisKeyword:
        return { kind: "ref", path: "this", text: "this" };
    }
    if (ts.isIdentifier(expr)) {
      if (expr.text === "undefined") return { kind: "null", text: "undefined" };
      this.#b.word(fn, expr.text);
      return { kind: "ref", path: expr.text, text: expr.text };
    }
    if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isSatisfiesExpression(expr) || ts.isNonNullExpression(expr) || ts.isTypeAssertionExpression(expr)) {
      return this.#value(expr.expression, nameHint, depth);
    }
    if (ts.isAwaitExpression(expr)) {
      fn.shape.awaits++;
      return this.#value(expr.expression, nameHint, depth);
    }
    if (ts.isTemplateExpression(expr)) {
      const parts: Value[] = [];
      if (expr.head.text) parts.push({ kind: "string", value: expr.head.text, text: clip(expr.head.text) });
      for (const span of expr.templateSpans.slice(0, MAX_VALUE_ITEMS)) {
        parts.push(this.#value(span.expression, undefined, depth));
        if (span.literal.text) parts.push({ kind: "string", value: span.literal.text, text: clip(span.literal.text) });
      }
      for (const p of parts) if (p.kind === "string") this.#b.word(fn, p.value.slice(0, 200));
      return { kind: "template", parts, text: this.#text(expr) };
    }
    if (ts.isBinaryExpression(expr)) return this.#binary(expr, depth);
    if (ts.isConditionalExpression(expr)) {
      fn.shape.branches++;
      this.#value(expr.condition, undefined, depth);
      return unknownValue(this.#text(expr), "?:", [this.#value(expr.whenTrue, nameHint, depth), this.#value(expr.whenFalse, nameHint, depth)]);
    }
    if (ts.isCallExpression(expr) || ts.isNewExpression(expr)) return this.#call(expr, depth);
    if (ts.isTaggedTemplateExpression(expr)) return this.#tagged(expr, depth);
    if (ts.isArrowFunction(expr) || ts.isFunctionExpression(expr)) return this.#function(expr, expr.name?.text ?? nameHint ?? null);
    if (ts.isObjectLiteralExpression(expr)) return this.#object(expr, depth);
    if (ts.isArrayLiteralExpression(expr)) {
      const items = expr.elements.slice(0, MAX_VALUE_ITEMS).map((e) =>
        ts.isSpreadElement(e) ? unknownValue(this.#text(e), "element", [this.#value(e.expression, undefined, depth)]) : this.#value(e, undefined, depth),
      );
      for (const e of expr.elements.slice(MAX_VALUE_ITEMS)) this.#value(e, undefined, depth);
      return { kind: "array", items, text: this.#text(expr) };
    }
    if (ts.isPropertyAccessExpression(expr) || ts.isElementAccessExpression(expr)) return this.#member(expr, depth);
    if (ts.isPrefixUnaryExpression(expr)) {
      const operand = this.#value(expr.operand, undefined, depth);
      if (expr.operator === ts.SyntaxKind.MinusToken && operand.kind === "number") return { kind: "number", value: -operand.value, text: this.#text(expr) };
      if (expr.operator === ts.SyntaxKind.ExclamationToken) return unknownValue(this.#text(expr), "!", [operand]);
      return unknownValue(this.#text(expr), "other", [operand]);
    }
    if (ts.isPostfixUnaryExpression(expr)) return unknownValue(this.#text(expr), "other", [this.#value(expr.operand, undefined, depth)]);
    if (ts.isTypeOfExpression(expr) || ts.isVoidExpression(expr) || ts.isDeleteExpression(expr)) {
      this.#value(expr.expression, undefined, depth);
      return unknownValue(this.#text(expr), "other");
    }
    if (ts.isSpreadElement(expr)) return unknownValue(this.#text(expr), "element", [this.#value(expr.expression, undefined, depth)]);
    if (ts.isYieldExpression(expr)) return expr.expression ? this.#value(expr.expression, undefined, depth) : unknownValue("yield");
    if (ts.isClassExpression(expr)) {
      this.#class(expr);
      return unknownValue(this.#text(expr), "class");
    }
    if (ts.isJsxElement(expr) || ts.isJsxSelfClosingElement(expr) || ts.isJsxFragment(expr)) {
      this.#jsx(expr, depth);
      return unknownValue(this.#text(expr), "jsx");
    }
    if (ts.isRegularExpressionLiteral(expr)) return unknownValue(expr.text, "regex");
    // Anything else: walk what's inside so calls in it are still seen.
    const parts: Value[] = [];
    ts.forEachChild(expr, (child) => {
      if (isExpressionNode(child)) parts.push(this.#value(child as ts.Expression, undefined, depth));
      else if (ts.isBlock(child)) this.#statement(child);
    });
    return unknownValue(this.#text(expr), "other", parts.slice(0, MAX_VALUE_ITEMS));
  }

  #binary(expr: ts.BinaryExpression, depth: number): Value {
    const op = expr.operatorToken.kind;
    const fn = this.#fn;
    if (op >= ts.SyntaxKind.FirstAssignment && op <= ts.SyntaxKind.LastAssignment) {
      const right = this.#value(expr.right, leftName(expr.left), depth);
      const value = op === ts.SyntaxKind.EqualsToken ? right : unknownValue(this.#text(expr), "||", [this.#value(expr.left, undefined, depth), right]);
      const left = unwrapExpression(expr.left);
      if (ts.isIdentifier(left)) this.#b.bind(fn, left.text, value);
      else if (ts.isObjectLiteralExpression(left) || ts.isArrayLiteralExpression(left)) {
        // Destructuring assignment: the names inside get parts of the value.
        for (const name of assignedNames(left)) this.#b.bind(fn, name, unknownValue(this.#text(expr), "element", [value]));
      } else {
        const target = memberPath(left, this.#sf);
        if (target !== null) {
          this.#b.data.assignments.push({ path: this.#path, line: this.#line(expr), fn: fn.id, target, value, op: expr.operatorToken.getText(this.#sf) });
          this.#exportsAssignment(target, value);
          // `this.x = v` in a class is how fields get their values.
          if (target.startsWith("this.") && target.split(".").length === 2) this.#b.bind(fn, target, value);
        } else this.#value(left, undefined, depth);
      }
      return value;
    }
    if (COMPARISON_OPS.has(op) || ORDER_OPS.has(op)) {
      fn.shape.comparisons++;
      const left = this.#value(expr.left, undefined, depth);
      const right = this.#value(expr.right, undefined, depth);
      if (COMPARISON_OPS.has(op) || op === ts.SyntaxKind.InKeyword)
        this.#b.data.comparisons.push({ path: this.#path, line: this.#line(expr), fn: fn.id, op: expr.operatorToken.getText(this.#sf), left, right });
      return unknownValue(this.#text(expr), "compare");
    }
    const logical = LOGICAL_OPS.get(op);
    if (logical) {
      fn.shape.branches++;
      return unknownValue(this.#text(expr), logical, [this.#value(expr.left, undefined, depth), this.#value(expr.right, undefined, depth)]);
    }
    const left = this.#value(expr.left, undefined, depth);
    const right = this.#value(expr.right, undefined, depth);
    if (op === ts.SyntaxKind.PlusToken && (isTextual(left) || isTextual(right))) {
      const parts = [...(left.kind === "template" ? left.parts : [left]), ...(right.kind === "template" ? right.parts : [right])].slice(0, MAX_VALUE_ITEMS);
      return { kind: "template", parts, text: this.#text(expr) };
    }
    if (op === ts.SyntaxKind.CommaToken) return right;
    return unknownValue(this.#text(expr), op === ts.SyntaxKind.PlusToken ? "+" : "other", [left, right]);
  }

  /** `module.exports = …`, `module.exports.x = …`, `exports.x = …`. */
  #exportsAssignment(target: string, value: Value): void {
    if (target === "module.exports") {
      this.#export("default", value);
      if (value.kind === "object") for (const e of value.entries) if (e.key !== null) this.#export(e.key, e.value);
    } else {
      const m = /^(?:module\.)?exports\.([\w$]+)$/.exec(target);
      if (m) this.#export(m[1]!, value);
    }
  }

  #call(expr: ts.CallExpression | ts.NewExpression, depth: number): Value {
    const fn = this.#fn;
    const calleeExpr = unwrapExpression(expr.expression);
    const callee = calleeName(calleeExpr, this.#sf);
    let receiver: Value | null = null;
    if (ts.isPropertyAccessExpression(calleeExpr) || ts.isElementAccessExpression(calleeExpr)) receiver = this.#value(calleeExpr.expression, undefined, depth);
    else if (!ts.isIdentifier(calleeExpr) && calleeExpr.kind !== ts.SyntaxKind.ImportKeyword) this.#value(calleeExpr, undefined, depth);
    // Words belong to functions, not to the module (whose words would be the whole file).
    if (callee && !fn.isModule) for (const part of callee.split(".")) if (part && part !== "()") this.#b.word(fn, part);
    let spread = false;
    const args: Value[] = [];
    const written = expr.arguments ?? [];
    for (let i = 0; i < written.length && i < MAX_VALUE_ITEMS; i++) {
      const a = written[i]!;
      if (ts.isSpreadElement(a)) {
        spread = true;
        args.push(unknownValue(this.#text(a), "element", [this.#value(a.expression, undefined, depth)]));
      } else args.push(this.#value(a, undefined, depth));
    }
    if (calleeExpr.kind === ts.SyntaxKind.ImportKeyword) {
      const first = expr.arguments?.[0];
      if (first && ts.isStringLiteralLike(first)) this.#addImport(first.text, [], expr);
    }
    const start = expr.getStart(this.#sf);
    const call = this.#b.newCall({
      path: this.#path,
      line: this.#sf.getLineAndCharacterOfPosition(start).line + 1,
      fn: fn.id,
      callee: calleeExpr.kind === ts.SyntaxKind.ImportKeyword ? "import" : callee,
      resolved: callee,
      target: null,
      receiver,
      args,
      kwargs: [],
      spread,
      isNew: ts.isNewExpression(expr),
      tagged: false,
      text: this.#text(expr, start),
    });
    return { kind: "call", call: call.id, text: call.text };
  }

  #tagged(expr: ts.TaggedTemplateExpression, depth: number): Value {
    const tag = unwrapExpression(expr.tag);
    const callee = calleeName(tag, this.#sf);
    const args: Value[] = [];
    if (ts.isTemplateExpression(expr.template)) {
      for (const span of expr.template.templateSpans.slice(0, MAX_VALUE_ITEMS)) args.push(this.#value(span.expression, undefined, depth));
    }
    const call = this.#b.newCall({
      path: this.#path,
      line: this.#line(expr),
      fn: this.#fn.id,
      callee,
      resolved: callee,
      target: null,
      receiver: ts.isPropertyAccessExpression(tag) ? this.#value(tag.expression, undefined, depth) : null,
      args,
      kwargs: [],
      spread: false,
      isNew: false,
      tagged: true,
      text: this.#text(expr),
    });
    return { kind: "call", call: call.id, text: call.text };
  }

  #object(expr: ts.ObjectLiteralExpression, depth: number): Value {
    const entries: ObjectEntry[] = [];
    for (const p of expr.properties.slice(0, MAX_VALUE_ITEMS)) {
      const line = this.#line(p);
      if (ts.isPropertyAssignment(p)) {
        const key = propertyKey(p.name);
        if (key !== null) this.#b.word(this.#fn, key);
        else if (ts.isComputedPropertyName(p.name)) this.#value(p.name.expression, undefined, depth);
        entries.push({ key, value: this.#value(p.initializer, key ?? undefined, depth), line });
      } else if (ts.isShorthandPropertyAssignment(p)) {
        this.#b.word(this.#fn, p.name.text);
        entries.push({ key: p.name.text, value: { kind: "ref", path: p.name.text, text: p.name.text }, line });
      } else if (ts.isSpreadAssignment(p)) {
        entries.push({ key: null, value: this.#value(p.expression, undefined, depth), spread: true, line });
      } else if (ts.isMethodDeclaration(p) || ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p)) {
        const key = propertyKey(p.name);
        entries.push({ key, value: this.#function(p, key), line });
      }
    }
    const value: Value = { kind: "object", entries, line: this.#line(expr), text: this.#text(expr) };
    this.#b.data.objects.push({ fn: this.#fn.id, path: this.#path, value });
    return value;
  }

  #member(expr: ts.PropertyAccessExpression | ts.ElementAccessExpression, depth: number): Value {
    const path = memberPath(expr, this.#sf);
    if (path !== null) {
      for (const part of path.split(".")) this.#b.word(this.#fn, part);
      if (path.includes(".")) this.#b.data.accesses.push({ path: this.#path, line: this.#line(expr), fn: this.#fn.id, target: path });
      return { kind: "ref", path, text: this.#text(expr) };
    }
    const object = this.#value(expr.expression, undefined, depth);
    if (ts.isPropertyAccessExpression(expr)) {
      this.#b.word(this.#fn, expr.name.text);
      return { kind: "member", object, property: expr.name.text, text: this.#text(expr) };
    }
    const key = constantKey(expr.argumentExpression);
    if (key !== null) return { kind: "member", object, property: key, text: this.#text(expr) };
    return unknownValue(this.#text(expr), "element", [object, this.#value(expr.argumentExpression, undefined, depth)]);
  }

  #jsx(node: ts.JsxElement | ts.JsxSelfClosingElement | ts.JsxFragment, depth: number): void {
    const opening = ts.isJsxElement(node) ? node.openingElement : ts.isJsxSelfClosingElement(node) ? node : null;
    if (opening) {
      const element = clip(opening.tagName.getText(this.#sf));
      for (const attr of opening.attributes.properties) {
        if (ts.isJsxSpreadAttribute(attr)) {
          this.#value(attr.expression, undefined, depth);
          continue;
        }
        const name = ts.isIdentifier(attr.name) ? attr.name.text : attr.name.getText(this.#sf);
        const init = attr.initializer;
        let value: Value = { kind: "boolean", value: true, text: "true" };
        if (init && ts.isStringLiteral(init)) value = { kind: "string", value: init.text, text: clip(init.text) };
        else if (init && ts.isJsxExpression(init) && init.expression) value = this.#value(init.expression, undefined, depth);
        this.#b.data.jsxAttributes.push({ path: this.#path, line: this.#line(attr), fn: this.#fn.id, element, name, value });
      }
    }
    const children = ts.isJsxSelfClosingElement(node) ? [] : node.children;
    for (const child of children) {
      if (ts.isJsxExpression(child) && child.expression) this.#value(child.expression, undefined, depth);
      else if (ts.isJsxElement(child) || ts.isJsxSelfClosingElement(child) || ts.isJsxFragment(child)) this.#jsx(child, depth + 1);
    }
  }
}

// ---- helpers ----

function hasExportModifier(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function hasDefaultModifier(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && !!ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
}

function isExpressionNode(node: ts.Node): boolean {
  return ts.isExpression(node) || ts.isSpreadElement(node);
}

export function unwrapExpression(e: ts.Expression): ts.Expression {
  let x = e;
  while (ts.isParenthesizedExpression(x) || ts.isAsExpression(x) || ts.isSatisfiesExpression(x) || ts.isNonNullExpression(x) || ts.isTypeAssertionExpression(x))
    x = x.expression;
  return x;
}

function isTextual(v: Value): boolean {
  return v.kind === "string" || v.kind === "template";
}

/** The text of a property key: names, string and numeric literals, and computed string literals. */
export function propertyKey(name: ts.PropertyName): string | null {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return null;
}

function constantKey(e: ts.Expression): string | null {
  const u = unwrapExpression(e);
  if (ts.isStringLiteralLike(u)) return u.text;
  if (ts.isNumericLiteral(u)) return u.text;
  return null;
}

/** A dotted path for member chains rooted at a name (`req.headers.authorization`, `req.headers["x-api-key"]`), else null. */
function memberPath(expr: ts.Expression, sf: ts.SourceFile): string | null {
  const e = unwrapExpression(expr);
  if (ts.isIdentifier(e)) return e.text;
  if (e.kind === ts.SyntaxKind.ThisKeyword) return "this";
  if (ts.isPropertyAccessExpression(e)) {
    const left = memberPath(e.expression, sf);
    return left === null ? null : `${left}.${e.name.text}`;
  }
  if (ts.isElementAccessExpression(e)) {
    const key = constantKey(e.argumentExpression);
    const left = memberPath(e.expression, sf);
    return left === null || key === null ? null : `${left}.${key}`;
  }
  return null;
}

/** The dotted name of a callee; a call in the chain reads "()": `res.status().json`. "" when it isn't a name chain. */
function calleeName(expr: ts.Expression, sf: ts.SourceFile): string {
  const e = unwrapExpression(expr);
  if (ts.isIdentifier(e)) return e.text;
  if (e.kind === ts.SyntaxKind.ThisKeyword) return "this";
  if (e.kind === ts.SyntaxKind.SuperKeyword) return "super";
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const key = ts.isPropertyAccessExpression(e) ? e.name.text : constantKey(e.argumentExpression);
    if (key === null) return "";
    const inner = unwrapExpression(e.expression);
    const left = ts.isCallExpression(inner) || ts.isNewExpression(inner) ? (calleeName(inner.expression, sf) || "") + "()" : calleeName(inner, sf);
    return left === "" || left === "()" ? "" : `${left}.${key}`;
  }
  return "";
}

function leftName(e: ts.Expression): string | undefined {
  const u = unwrapExpression(e);
  if (ts.isIdentifier(u)) return u.text;
  if (ts.isPropertyAccessExpression(u)) return u.name.text;
  return undefined;
}

function assignedNames(pattern: ts.ObjectLiteralExpression | ts.ArrayLiteralExpression): string[] {
  const out: string[] = [];
  const elements = ts.isObjectLiteralExpression(pattern) ? pattern.properties : pattern.elements;
  for (const el of elements) {
    if (ts.isShorthandPropertyAssignment(el)) out.push(el.name.text);
    else if (ts.isPropertyAssignment(el) && ts.isIdentifier(el.initializer)) out.push(el.initializer.text);
    else if (ts.isIdentifier(el)) out.push(el.text);
  }
  return out;
}

function memberOf(value: Value, key: string, text: string): Value {
  if (value.kind === "ref") return { kind: "ref", path: `${value.path}.${key}`, text: clip(text) };
  if (value.kind === "object") {
    const entry = value.entries.find((e) => e.key === key);
    if (entry) return entry.value;
  }
  return { kind: "member", object: value, property: key, text: clip(text) };
}

/** Where a relative import points, as a repository path, trying the extensions Node and bundlers try. */
export function resolveJsImport(fromPath: string, module: string, exists: (p: string) => boolean): string | null {
  // `@/lib/x` and `~/lib/x` are path aliases (no package can be named so): the project root or its src/, seen from
  // the nearest folder above the importing file that holds the target.
  const alias = /^[@~]\//.test(module) ? module.slice(2) : null;
  if (alias !== null) {
    const folders = path.posix.dirname(fromPath).split("/");
    for (let n = folders[0] === "." ? 0 : folders.length; n >= 0; n--) {
      const root = folders.slice(0, n).join("/");
      for (const dir of [root, root ? `${root}/src` : "src"]) {
        const hit = fileFor(dir ? `${dir}/${alias}` : alias, exists);
        if (hit) return hit;
      }
    }
    return null;
  }
  if (!module.startsWith(".")) return null;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromPath), module));
  if (base.startsWith("..")) return null;
  return fileFor(base, exists);
}

function fileFor(base: string, exists: (p: string) => boolean): string | null {
  const stem = base.replace(/\.(?:[cm]?js|jsx)$/, "");
  const candidates = [base, ...[".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"].flatMap((ext) => [`${stem}${ext}`, `${base}/index${ext}`])];
  return candidates.find((c) => exists(c)) ?? null;
}
