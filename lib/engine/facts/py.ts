// Facts from one Python syntax tree (tree-sitter): the same shapes the TypeScript reader produces, so checks judge
// both languages with one rule. Syntax only: nothing is imported or run.
import path from "node:path";
import type { FunctionFact, ObjectEntry, ParamFact, SourceFileFact, Value } from "@/lib/core/facts";
import type { PyNode } from "../parse/python";
import { clip, type FactsBuilder, MAX_VALUE_DEPTH, MAX_VALUE_ITEMS, unknownValue } from "./builder";

const MAX_NESTING = 400;
const COMPARISON_WORDS = new Set(["==", "!=", "in", "not in", "is", "is not"]);

export function extractPython(builder: FactsBuilder, filePath: string, root: PyNode, text: string): SourceFileFact {
  return new PyFile(builder, filePath, root, text).run();
}

class PyFile {
  readonly #b: FactsBuilder;
  readonly #path: string;
  readonly #root: PyNode;
  readonly #src: string;
  #fn!: FunctionFact;
  #nesting = 0;
  readonly #exports: Record<string, Value> = Object.create(null) as Record<string, Value>;

  constructor(builder: FactsBuilder, filePath: string, root: PyNode, text: string) {
    this.#b = builder;
    this.#path = filePath;
    this.#root = root;
    this.#src = text;
  }

  run(): SourceFileFact {
    this.#fn = this.#b.newFunction({
      path: this.#path,
      line: 1,
      endLine: this.#root.endPosition.row + 1,
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
    this.#block(this.#root, null);
    for (const [name, values] of Object.entries(moduleFn.bindings)) {
      const last = values[values.length - 1];
      if (last) this.#exports[name] = last;
      for (const v of values) if (v.kind === "function") this.#b.data.functions[v.fn]!.exported = true;
    }
    return {
      path: this.#path,
      language: "py",
      role: "server",
      roleReason: "",
      unparseable: null,
      module: moduleFn.id,
      directives: [],
      exports: this.#exports,
    };
  }

  #line(n: PyNode): number {
    return n.startPosition.row + 1;
  }

  #text(n: PyNode): string {
    return clip(this.#src.slice(n.startIndex, Math.min(n.endIndex, n.startIndex + 400)));
  }

  // ---- statements ----

  #block(node: PyNode, className: string | null): void {
    for (const child of node.namedChildren) if (child) this.#statement(child, className);
  }

  #statement(node: PyNode, className: string | null = null): void {
    if (this.#nesting > MAX_NESTING) return;
    this.#nesting++;
    try {
      if (node.type !== "comment") this.#fn.shape.statements++;
      this.#statementInner(node, className);
    } finally {
      this.#nesting--;
    }
  }

  #statementInner(node: PyNode, className: string | null): void {
    const fn = this.#fn;
    switch (node.type) {
      case "comment":
      case "pass_statement":
      case "break_statement":
      case "continue_statement":
      case "global_statement":
      case "nonlocal_statement":
      case "future_import_statement":
        return;
      case "expression_statement":
        for (const c of node.namedChildren) if (c) this.#value(c);
        return;
      case "function_definition":
        this.#bindDefinition(this.#function(node, [], className));
        return;
      case "decorated_definition": {
        const definition = node.childForFieldName("definition");
        const decorators = node.namedChildren.filter((c): c is PyNode => c?.type === "decorator");
        if (definition?.type === "function_definition") this.#bindDefinition(this.#function(definition, decorators, className));
        else if (definition?.type === "class_definition") {
          for (const d of decorators) this.#decoratorExpression(d);
          this.#class(definition);
        }
        return;
      }
      case "class_definition":
        this.#class(node);
        return;
      case "return_statement": {
        const v = node.namedChildren[0];
        if (v) fn.returns.push(this.#value(v));
        return;
      }
      case "if_statement":
        fn.shape.branches++;
        this.#valueOf(node.childForFieldName("condition"));
        this.#blockOf(node.childForFieldName("consequence"), className);
        for (const alt of node.childrenForFieldName("alternative")) {
          if (!alt) continue;
          if (alt.type === "elif_clause") {
            fn.shape.branches++;
            this.#valueOf(alt.childForFieldName("condition"));
            this.#blockOf(alt.childForFieldName("consequence"), className);
          } else this.#blockOf(alt.childForFieldName("body") ?? alt, className);
        }
        return;
      case "for_statement": {
        const iterated = this.#valueOf(node.childForFieldName("right"));
        const left = node.childForFieldName("left");
        if (left) this.#bindTarget(left, unknownValue(this.#text(left), "element", iterated ? [iterated] : []));
        this.#blockOf(node.childForFieldName("body"), className);
        this.#blockOf(node.childForFieldName("alternative"), className);
        return;
      }
      case "while_statement":
        fn.shape.branches++;
        this.#valueOf(node.childForFieldName("condition"));
        this.#blockOf(node.childForFieldName("body"), className);
        return;
      case "raise_statement":
        fn.shape.throws++;
        for (const c of node.namedChildren) if (c) this.#value(c);
        return;
      case "assert_statement":
        fn.shape.throws++;
        fn.shape.branches++;
        for (const c of node.namedChildren) if (c) this.#value(c);
        return;
      case "try_statement":
        fn.shape.branches++;
        for (const c of node.namedChildren) {
          if (!c) continue;
          if (c.type === "block") this.#block(c, className);
          else if (c.type === "except_clause" || c.type === "except_group_clause") {
            for (const part of c.namedChildren) {
              if (!part) continue;
              if (part.type === "block") this.#block(part, className);
              else if (part.type === "as_pattern") {
                const alias = part.childForFieldName("alias");
                if (alias) this.#bindTarget(alias, unknownValue("error", "error"));
              }
            }
          } else this.#blockOf(c.namedChildren.find((x) => x?.type === "block") ?? null, className);
        }
        return;
      case "with_statement":
        for (const c of node.namedChildren) {
          if (!c) continue;
          if (c.type === "with_clause") {
            for (const item of c.namedChildren) {
              const value = item?.childForFieldName("value");
              if (!value) continue;
              if (value.type === "as_pattern") {
                const v = this.#value(value.namedChildren[0]!);
                const alias = value.childForFieldName("alias");
                if (alias) this.#bindTarget(alias.namedChildren[0] ?? alias, v);
              } else this.#value(value);
            }
          } else if (c.type === "block") this.#block(c, className);
        }
        return;
      case "match_statement":
        fn.shape.branches++;
        for (const c of node.namedChildren) {
          if (c?.type === "block") {
            for (const cs of c.namedChildren) if (cs) this.#blockOf(cs.childForFieldName("consequence"), className);
          } else if (c) this.#value(c);
        }
        return;
      case "import_statement":
        this.#importStatement(node);
        return;
      case "import_from_statement":
        this.#importFrom(node);
        return;
      case "delete_statement":
      case "print_statement":
      case "exec_statement":
        for (const c of node.namedChildren) if (c) this.#value(c);
        return;
      case "block":
        this.#block(node, className);
        return;
      default:
        for (const c of node.namedChildren) {
          if (!c) continue;
          if (c.type === "block") this.#block(c, className);
          else this.#value(c);
        }
    }
  }

  #blockOf(node: PyNode | null, className: string | null): void {
    if (node) this.#block(node, className);
  }

  #valueOf(node: PyNode | null): Value | null {
    return node ? this.#value(node) : null;
  }

  #bindDefinition(value: Value): void {
    if (value.kind !== "function") return;
    const fn = this.#b.data.functions[value.fn];
    if (fn?.name) this.#b.bind(this.#fn, fn.name, value);
  }

  /** Binds the names of an assignment target: a name, a tuple of names, or a member (an assignment fact). */
  #bindTarget(target: PyNode, value: Value): void {
    switch (target.type) {
      case "identifier":
        this.#b.bind(this.#fn, target.text, value);
        return;
      case "pattern_list":
      case "tuple_pattern":
      case "list_pattern":
      case "tuple":
      case "list":
        for (const c of target.namedChildren) if (c) this.#bindTarget(c, unknownValue(this.#text(c), "element", [value]));
        return;
      case "list_splat_pattern":
        if (target.namedChildren[0]) this.#bindTarget(target.namedChildren[0], value);
        return;
      case "attribute":
      case "subscript": {
        const path = memberPath(target);
        if (path === null) {
          this.#value(target);
          return;
        }
        this.#b.data.assignments.push({ path: this.#path, line: this.#line(target), fn: this.#fn.id, target: path, value, op: "=" });
        if (/^(?:self|cls)\.\w+$/.test(path)) this.#b.bind(this.#fn, path, value);
        return;
      }
      default:
        this.#value(target);
    }
  }

  // ---- imports ----

  #importStatement(node: PyNode): void {
    for (const c of node.namedChildren) {
      if (!c) continue;
      if (c.type === "dotted_name") this.#addImport(c.text, [{ imported: "*", local: c.text }], node);
      else if (c.type === "aliased_import") {
        const name = c.childForFieldName("name")?.text ?? "";
        const alias = c.childForFieldName("alias")?.text ?? name;
        this.#addImport(name, [{ imported: "*", local: alias }], node);
      }
    }
  }

  #importFrom(node: PyNode): void {
    const moduleNode = node.childForFieldName("module_name");
    const moduleName = moduleNode?.text ?? "";
    const names: Array<{ imported: string; local: string }> = [];
    for (const c of node.childrenForFieldName("name")) {
      if (!c) continue;
      if (c.type === "dotted_name") names.push({ imported: c.text, local: c.text });
      else if (c.type === "aliased_import") {
        const name = c.childForFieldName("name")?.text ?? "";
        names.push({ imported: name, local: c.childForFieldName("alias")?.text ?? name });
      }
    }
    if (node.namedChildren.some((c) => c?.type === "wildcard_import")) names.push({ imported: "*", local: "*" });
    this.#addImport(moduleName, names, node);
  }

  #addImport(module: string, names: Array<{ imported: string; local: string }>, node: PyNode): void {
    this.#b.data.imports.push({ path: this.#path, line: this.#line(node), module: module.slice(0, 300), resolvedPath: null, names });
  }

  // ---- functions and classes ----

  #function(node: PyNode, decorators: PyNode[], className: string | null): Value {
    const parent = this.#fn;
    const name = node.childForFieldName("name")?.text ?? null;
    const isStatic = decorators.some((d) => /^@?\s*staticmethod\b/.test(d.text));
    const fn = this.#b.newFunction({
      path: this.#path,
      line: this.#line(decorators[0] ?? node),
      endLine: node.endPosition.row + 1,
      name,
      isModule: false,
      className,
      params: [],
      receiverParam: className !== null && !isStatic,
      exported: false,
      async: node.children[0]?.type === "async",
      parent: parent.id,
    });
    // Decorators are evaluated where the function is defined.
    for (const d of decorators) {
      const v = this.#decoratorExpression(d);
      if (v?.kind === "call") fn.decorators.push(v.call);
    }
    this.#fn = fn;
    try {
      fn.params = this.#params(node.childForFieldName("parameters"));
      const body = node.childForFieldName("body");
      if (body) {
        if (node.type === "lambda") fn.returns.push(this.#value(body));
        else this.#block(body, null);
      }
    } finally {
      this.#fn = parent;
    }
    return { kind: "function", fn: fn.id, text: this.#text(node) };
  }

  /** A decorator as a call fact: `@mcp.tool()` is a call; a bare `@mcp.tool` becomes a call with no arguments. */
  #decoratorExpression(decorator: PyNode): Value | null {
    const expression = decorator.namedChildren.find((c) => c !== null && c.type !== "comment");
    if (!expression) return null;
    if (expression.type === "call") return this.#value(expression);
    const callee = dottedName(expression);
    const call = this.#b.newCall({
      path: this.#path,
      line: this.#line(expression),
      fn: this.#fn.id,
      callee: callee ?? "",
      resolved: callee ?? "",
      target: null,
      receiver: null,
      args: [],
      kwargs: [],
      spread: false,
      isNew: false,
      tagged: false,
      text: this.#text(expression),
    });
    return { kind: "call", call: call.id, text: call.text };
  }

  #params(node: PyNode | null): ParamFact[] {
    if (!node) return [];
    const out: ParamFact[] = [];
    for (const p of node.namedChildren) {
      if (!p) continue;
      let name: string | null = null;
      let type: string | null = null;
      let def: Value | null = null;
      let rest = false;
      switch (p.type) {
        case "identifier":
          name = p.text;
          break;
        case "typed_parameter": {
          const inner = p.namedChildren[0];
          if (inner?.type === "list_splat_pattern" || inner?.type === "dictionary_splat_pattern") {
            rest = true;
            name = inner.namedChildren[0]?.text ?? null;
          } else name = inner?.text ?? null;
          type = p.childForFieldName("type")?.text ?? null;
          break;
        }
        case "default_parameter":
        case "typed_default_parameter":
          name = p.childForFieldName("name")?.text ?? null;
          type = p.childForFieldName("type")?.text ?? null;
          def = this.#valueOf(p.childForFieldName("value"));
          break;
        case "list_splat_pattern":
        case "dictionary_splat_pattern":
          rest = true;
          name = p.namedChildren[0]?.text ?? null;
          break;
        default:
          continue;
      }
      if (name === null) continue;
      out.push({ name, index: out.length, fields: [], type: type ? clip(type) : null, default: def, rest });
    }
    return out;
  }

  #class(node: PyNode): void {
    const name = node.childForFieldName("name")?.text ?? "(class)";
    const bases: string[] = [];
    const superclasses = node.childForFieldName("superclasses");
    for (const b of superclasses?.namedChildren ?? []) if (b && b.type !== "keyword_argument") bases.push(clip(b.text));
    const before = this.#b.data.functions.length;
    const body = node.childForFieldName("body");
    if (body) this.#block(body, name);
    const methods: number[] = [];
    for (let id = before; id < this.#b.data.functions.length; id++) {
      const f = this.#b.data.functions[id]!;
      if (f.className === name && f.parent === this.#fn.id) methods.push(id);
    }
    this.#b.data.classes.push({ path: this.#path, line: this.#line(node), name, bases, methods });
    this.#b.bind(this.#fn, name, { kind: "ref", path: name, text: name });
  }

  // ---- expressions ----

  #value(node: PyNode, depth = 0): Value {
    if (depth > MAX_VALUE_DEPTH || this.#nesting > MAX_NESTING) return unknownValue(this.#text(node), "too-deep");
    this.#nesting++;
    try {
      return this.#valueInner(node, depth + 1);
    } finally {
      this.#nesting--;
    }
  }

  #valueInner(node: PyNode, depth: number): Value {
    const fn = this.#fn;
    switch (node.type) {
      case "string":
        return this.#string(node, depth);
      case "concatenated_string": {
        const parts = node.namedChildren.filter((c): c is PyNode => c !== null).map((c) => this.#value(c, depth));
        if (parts.every((p) => p.kind === "string")) {
          return { kind: "string", value: parts.map((p) => (p.kind === "string" ? p.value : "")).join(""), text: this.#text(node) };
        }
        return { kind: "template", parts: parts.flatMap((p) => (p.kind === "template" ? p.parts : [p])), text: this.#text(node) };
      }
      case "integer":
      case "float": {
        const n = Number(node.text.replace(/_/g, ""));
        return Number.isFinite(n) ? { kind: "number", value: n, text: node.text } : unknownValue(node.text);
      }
      case "true":
        return { kind: "boolean", value: true, text: "True" };
      case "false":
        return { kind: "boolean", value: false, text: "False" };
      case "none":
        return { kind: "null", text: "None" };
      case "identifier":
        this.#b.word(fn, node.text);
        return { kind: "ref", path: node.text, text: node.text };
      case "attribute":
      case "subscript":
        return this.#member(node, depth);
      case "call":
        return this.#call(node, depth);
      case "parenthesized_expression": {
        const inner = node.namedChildren.find((c) => c?.type !== "comment");
        return inner ? this.#value(inner, depth) : unknownValue(this.#text(node));
      }
      case "await": {
        fn.shape.awaits++;
        const inner = node.namedChildren[0];
        return inner ? this.#value(inner, depth) : unknownValue(this.#text(node));
      }
      case "list":
      case "tuple":
      case "set":
      case "expression_list": {
        const children = node.namedChildren.filter((c): c is PyNode => c !== null && c.type !== "comment");
        return { kind: "array", items: children.slice(0, MAX_VALUE_ITEMS).map((c) => this.#value(c, depth)), text: this.#text(node) };
      }
      case "dictionary":
        return this.#dictionary(node, depth);
      case "binary_operator":
        return this.#binary(node, depth);
      case "boolean_operator": {
        fn.shape.branches++;
        const op = node.childForFieldName("operator")?.type === "or" ? "||" : "&&";
        return unknownValue(this.#text(node), op, [this.#valueOrNull(node.childForFieldName("left"), depth), this.#valueOrNull(node.childForFieldName("right"), depth)]);
      }
      case "not_operator":
        return unknownValue(this.#text(node), "!", [this.#valueOrNull(node.childForFieldName("argument"), depth)]);
      case "unary_operator": {
        const arg = this.#valueOrNull(node.childForFieldName("argument"), depth);
        if (arg.kind === "number" && node.children[0]?.type === "-") return { kind: "number", value: -arg.value, text: this.#text(node) };
        return unknownValue(this.#text(node), "other", [arg]);
      }
      case "comparison_operator":
        return this.#comparison(node, depth);
      case "conditional_expression": {
        fn.shape.branches++;
        const [whenTrue, condition, whenFalse] = node.namedChildren;
        if (condition) this.#value(condition, depth);
        return unknownValue(this.#text(node), "?:", [this.#valueOrNull(whenTrue ?? null, depth), this.#valueOrNull(whenFalse ?? null, depth)]);
      }
      case "lambda":
        return this.#function(node, [], null);
      case "named_expression": {
        const value = this.#valueOrNull(node.childForFieldName("value"), depth);
        const name = node.childForFieldName("name");
        if (name) this.#b.bind(fn, name.text, value);
        return value;
      }
      case "list_splat":
      case "dictionary_splat":
        return unknownValue(this.#text(node), "element", [this.#valueOrNull(node.namedChildren[0] ?? null, depth)]);
      case "list_comprehension":
      case "set_comprehension":
      case "dictionary_comprehension":
      case "generator_expression":
        return this.#comprehension(node, depth);
      case "assignment":
      case "augmented_assignment":
        return this.#assignment(node, depth);
      case "keyword_argument":
        return this.#valueOrNull(node.childForFieldName("value"), depth);
      case "comment":
        return unknownValue("", "comment");
      default: {
        const parts: Value[] = [];
        for (const c of node.namedChildren) {
          if (!c) continue;
          if (c.type === "block") this.#block(c, null);
          else parts.push(this.#value(c, depth));
        }
        return unknownValue(this.#text(node), "other", parts.slice(0, MAX_VALUE_ITEMS));
      }
    }
  }

  #valueOrNull(node: PyNode | null, depth: number): Value {
    return node ? this.#value(node, depth) : unknownValue("", "missing");
  }

  #string(node: PyNode, depth: number): Value {
    const parts: Value[] = [];
    let literal = "";
    let interpolated = false;
    for (const c of node.namedChildren) {
      if (!c) continue;
      if (c.type === "string_content" || c.type === "escape_sequence") literal += c.type === "escape_sequence" ? unescape(c.text) : c.text;
      else if (c.type === "interpolation") {
        interpolated = true;
        if (literal) parts.push({ kind: "string", value: literal, text: clip(literal) });
        literal = "";
        const expression = c.childForFieldName("expression") ?? c.namedChildren[0];
        if (expression) parts.push(this.#value(expression, depth));
      }
    }
    if (!interpolated) {
      this.#b.word(this.#fn, literal.slice(0, 200));
      return { kind: "string", value: literal, text: this.#text(node) };
    }
    if (literal) parts.push({ kind: "string", value: literal, text: clip(literal) });
    for (const p of parts) if (p.kind === "string") this.#b.word(this.#fn, p.value.slice(0, 200));
    return { kind: "template", parts, text: this.#text(node) };
  }

  #binary(node: PyNode, depth: number): Value {
    const left = this.#valueOrNull(node.childForFieldName("left"), depth);
    const right = this.#valueOrNull(node.childForFieldName("right"), depth);
    const op = node.childForFieldName("operator")?.type ?? "";
    const textual = (v: Value) => v.kind === "string" || v.kind === "template";
    if ((op === "+" && (textual(left) || textual(right))) || (op === "%" && textual(left))) {
      const parts = [...(left.kind === "template" ? left.parts : [left]), ...(right.kind === "template" ? right.parts : [right])].slice(0, MAX_VALUE_ITEMS);
      return { kind: "template", parts, text: this.#text(node) };
    }
    return unknownValue(this.#text(node), op === "+" ? "+" : "other", [left, right]);
  }

  #comparison(node: PyNode, depth: number): Value {
    const fn = this.#fn;
    fn.shape.comparisons++;
    const operands = node.namedChildren.filter((c): c is PyNode => c !== null && c.type !== "comment").map((c) => this.#value(c, depth));
    const ops = node.children.filter((c) => c !== null && !c.isNamed).map((c) => c!.type);
    const op = ops.join(" ").replace(/\s+/g, " ");
    if (operands.length === 2 && COMPARISON_WORDS.has(op)) {
      this.#b.data.comparisons.push({ path: this.#path, line: this.#line(node), fn: fn.id, op, left: operands[0]!, right: operands[1]! });
    }
    return unknownValue(this.#text(node), "compare");
  }

  #comprehension(node: PyNode, depth: number): Value {
    const iterated: Value[] = [];
    for (const c of node.namedChildren) {
      if (c?.type === "for_in_clause") {
        const right = c.childForFieldName("right");
        const v = right ? this.#value(right, depth) : unknownValue("");
        iterated.push(v);
        const left = c.childForFieldName("left");
        if (left) this.#bindTarget(left, unknownValue(this.#text(left), "element", [v]));
      } else if (c?.type === "if_clause") {
        this.#fn.shape.branches++;
        for (const x of c.namedChildren) if (x) this.#value(x, depth);
      }
    }
    const body = node.childForFieldName("body") ?? node.namedChildren[0];
    const bodyValue = body && body.type !== "for_in_clause" ? this.#value(body, depth) : unknownValue("");
    return unknownValue(this.#text(node), "element", [bodyValue, ...iterated]);
  }

  #assignment(node: PyNode, depth: number): Value {
    const right = node.childForFieldName("right");
    const left = node.childForFieldName("left");
    let value = right ? this.#value(right, depth) : unknownValue(this.#text(node), "missing");
    if (node.type === "augmented_assignment" && left) value = unknownValue(this.#text(node), "||", [this.#value(left, depth), value]);
    if (left) this.#bindTarget(left, value);
    return value;
  }

  #member(node: PyNode, depth: number): Value {
    const path = memberPath(node);
    if (path !== null) {
      for (const part of path.split(".")) this.#b.word(this.#fn, part);
      if (path.includes(".")) this.#b.data.accesses.push({ path: this.#path, line: this.#line(node), fn: this.#fn.id, target: path });
      return { kind: "ref", path, text: this.#text(node) };
    }
    if (node.type === "attribute") {
      const object = this.#valueOrNull(node.childForFieldName("object"), depth);
      const property = node.childForFieldName("attribute")?.text ?? "";
      this.#b.word(this.#fn, property);
      return { kind: "member", object, property, text: this.#text(node) };
    }
    const object = this.#valueOrNull(node.childForFieldName("value"), depth);
    const key = stringContent(node.childForFieldName("subscript"));
    if (key !== null) return { kind: "member", object, property: key, text: this.#text(node) };
    return unknownValue(this.#text(node), "element", [object, this.#valueOrNull(node.childForFieldName("subscript"), depth)]);
  }

  #dictionary(node: PyNode, depth: number): Value {
    const entries: ObjectEntry[] = [];
    for (const c of node.namedChildren.slice(0, MAX_VALUE_ITEMS)) {
      if (!c) continue;
      if (c.type === "pair") {
        const keyNode = c.childForFieldName("key");
        const key = stringContent(keyNode);
        if (key !== null) this.#b.word(this.#fn, key);
        else if (keyNode) this.#value(keyNode, depth);
        entries.push({ key, value: this.#valueOrNull(c.childForFieldName("value"), depth), line: this.#line(c) });
      } else if (c.type === "dictionary_splat") {
        entries.push({ key: null, value: this.#valueOrNull(c.namedChildren[0] ?? null, depth), spread: true, line: this.#line(c) });
      }
    }
    const value: Value = { kind: "object", entries, line: this.#line(node), text: this.#text(node) };
    this.#b.data.objects.push({ fn: this.#fn.id, path: this.#path, value });
    return value;
  }

  #call(node: PyNode, depth: number): Value {
    const fn = this.#fn;
    const fnNode = node.childForFieldName("function");
    const callee = calleeName(fnNode);
    let receiver: Value | null = null;
    if (fnNode?.type === "attribute") receiver = this.#valueOrNull(fnNode.childForFieldName("object"), depth);
    else if (fnNode && fnNode.type !== "identifier") this.#value(fnNode, depth);
    for (const part of callee.split(".")) if (part && part !== "()") this.#b.word(fn, part);
    const args: Value[] = [];
    const kwargs: Array<[string, Value]> = [];
    let spread = false;
    const argList = node.childForFieldName("arguments");
    if (argList?.type === "generator_expression") args.push(this.#value(argList, depth));
    else {
      for (const a of argList?.namedChildren.slice(0, MAX_VALUE_ITEMS) ?? []) {
        if (!a || a.type === "comment") continue;
        if (a.type === "keyword_argument") {
          const name = a.childForFieldName("name")?.text ?? "";
          this.#b.word(fn, name);
          kwargs.push([name, this.#valueOrNull(a.childForFieldName("value"), depth)]);
        } else if (a.type === "list_splat" || a.type === "dictionary_splat") {
          spread = true;
          args.push(this.#value(a, depth));
        } else args.push(this.#value(a, depth));
      }
    }
    const call = this.#b.newCall({
      path: this.#path,
      line: this.#line(node),
      fn: fn.id,
      callee,
      resolved: callee,
      target: null,
      receiver,
      args,
      kwargs,
      spread,
      isNew: false,
      tagged: false,
      text: this.#text(node),
    });
    return { kind: "call", call: call.id, text: call.text };
  }
}

// ---- helpers ----

function unescape(seq: string): string {
  const simple: Record<string, string> = { "\\n": "\n", "\\t": "\t", "\\r": "\r", "\\\\": "\\", "\\'": "'", '\\"': '"' };
  return simple[seq] ?? seq;
}

/** The content of a plain string literal (no interpolation), else null. */
export function stringContent(node: PyNode | null | undefined): string | null {
  if (!node || node.type !== "string") return null;
  let out = "";
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === "interpolation") return null;
    if (child.type === "string_content") out += child.text;
  }
  return out;
}

/** `a.b.c` for identifier/attribute chains; null for anything else. */
export function dottedName(node: PyNode | null | undefined): string | null {
  const parts: string[] = [];
  let n: PyNode | null | undefined = node;
  while (n) {
    if (n.type === "identifier") {
      parts.push(n.text);
      return parts.reverse().join(".");
    }
    if (n.type !== "attribute") return null;
    const attr = n.childForFieldName("attribute");
    if (!attr) return null;
    parts.push(attr.text);
    n = n.childForFieldName("object");
  }
  return null;
}

/** Member paths with constant subscripts read as members: `request.headers["authorization"]` is `request.headers.authorization`. */
function memberPath(node: PyNode | null | undefined): string | null {
  if (!node) return null;
  if (node.type === "identifier") return node.text;
  if (node.type === "attribute") {
    const left = memberPath(node.childForFieldName("object"));
    const attr = node.childForFieldName("attribute");
    return left === null || !attr ? null : `${left}.${attr.text}`;
  }
  if (node.type === "subscript") {
    const key = stringContent(node.childForFieldName("subscript"));
    const left = memberPath(node.childForFieldName("value"));
    return left === null || key === null ? null : `${left}.${key}`;
  }
  return null;
}

/** The callee as a dotted name; a call in the chain reads "()". */
function calleeName(node: PyNode | null): string {
  if (!node) return "";
  if (node.type === "identifier") return node.text;
  if (node.type === "attribute") {
    const object = node.childForFieldName("object");
    const attr = node.childForFieldName("attribute")?.text ?? "";
    if (!object || !attr) return "";
    const left = object.type === "call" ? `${calleeName(object.childForFieldName("function")) || ""}()` : calleeName(object);
    return left === "" || left === "()" ? "" : `${left}.${attr}`;
  }
  if (node.type === "parenthesized_expression") return calleeName(node.namedChildren[0] ?? null);
  // Constant subscripts read as members, as in values and in the TypeScript reader: `os.environ["KEY"].encode`.
  if (node.type === "subscript") return memberPath(node) ?? "";
  return "";
}

/** Where a Python import points in the repository: relative imports from the file's package, absolute ones by suffix. */
export function resolvePythonImport(fromPath: string, module: string, find: (candidates: string[]) => string | null): string | null {
  const dots = /^\.+/.exec(module)?.[0].length ?? 0;
  const rest = module.slice(dots).replace(/\./g, "/");
  if (dots > 0) {
    let dir = path.posix.dirname(fromPath);
    for (let i = 1; i < dots; i++) dir = path.posix.dirname(dir);
    const base = rest ? path.posix.join(dir, rest) : dir;
    return find([`${base}.py`, `${base}/__init__.py`]);
  }
  if (!rest) return null;
  return find([`${rest}.py`, `${rest}/__init__.py`]);
}
