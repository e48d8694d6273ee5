// Reads the tools and widget resources a Python connector declares: FastMCP `@mcp.tool(...)` in every form (docstring
// description, `annotations={...}` or `ToolAnnotations(...)`, `meta=`), `mcp.add_tool(fn, ...)`, low-level
// `types.Tool(...)` lists, `@mcp.resource(...)` and `types.Resource(...)` / `TextResourceContents(...)`.
import type { ParsedPython, PyNode } from "../python";
import { walkPython } from "../python";
import { effectsOf } from "./effects";
import { summarizeJsonSchema } from "./js-input-schema";
import type { ToolDecl, WidgetResource } from "./types";
import type { DeclarationStyle, InputField, InputSchemaSummary, StaticValue } from "@/lib/core/types";
import { dynamic, dynamicPaths, isDynamic, isRecord, recordOrNull, securitySchemesOf, stringOrNull } from "./values";

const INTERESTING = /\.tool\b|add_tool|\bTool\s*\(|\.resource\b|Resource\s*\(|ResourceContents|ui:\/\//;
const MAX_DEPTH = 60;
const STEP_BUDGET = 100_000;
const MAX_HANDLER_CODE = 100_000;

export interface PyExtraction {
  tools: ToolDecl[];
  resources: WidgetResource[];
}

export function extractPythonTools(files: Iterable<ParsedPython>, served: (path: string) => boolean = () => true): PyExtraction {
  const tools: ToolDecl[] = [];
  const resources: WidgetResource[] = [];
  for (const file of files) {
    if (!served(file.path) || !INTERESTING.test(file.text)) continue;
    const reader = new PyFileReader(file);
    reader.read();
    tools.push(...reader.tools);
    resources.push(...reader.resources);
  }
  return { tools, resources };
}

type Bindings = ReadonlyMap<string, StaticValue | undefined>;
const NO_BINDINGS: Bindings = new Map();

class PyFileReader {
  readonly tools: ToolDecl[] = [];
  readonly resources: WidgetResource[] = [];
  readonly #assignments = new Map<string, PyNode>();
  readonly #functions = new Map<string, PyNode>();
  readonly #cache = new Map<string, StaticValue | undefined>();
  readonly #inProgress = new Set<string>();
  #steps = 0;

  constructor(readonly file: ParsedPython) {
    for (const child of file.tree.rootNode.namedChildren) {
      if (!child) continue;
      const def = child.type === "decorated_definition" ? child.childForFieldName("definition") : child;
      if (def?.type === "function_definition") {
        const name = def.childForFieldName("name")?.text;
        if (name && !this.#functions.has(name)) this.#functions.set(name, def);
      }
      if (child.type === "expression_statement") {
        const a = child.namedChildren[0];
        if (a?.type === "assignment") {
          const left = a.childForFieldName("left");
          const right = a.childForFieldName("right");
          if (left?.type === "identifier" && right) this.#assignments.set(left.text, right);
        }
      }
    }
  }

  read(): void {
    const root = this.file.tree.rootNode;
    walkPython(root, (n) => {
      if (n.type === "decorated_definition") this.#readDecorated(n);
      else if (n.type === "call") this.#readCall(n);
      return undefined;
    });
  }

  #readDecorated(node: PyNode): void {
    const def = node.childForFieldName("definition");
    if (def?.type !== "function_definition") return;
    for (const decorator of node.namedChildren) {
      if (decorator?.type !== "decorator") continue;
      const expr = decorator.namedChildren[0];
      if (!expr) continue;
      const target = expr.type === "call" ? expr.childForFieldName("function") : expr;
      if (target?.type !== "attribute") continue;
      const attr = target.childForFieldName("attribute")?.text;
      const args = expr.type === "call" ? this.#arguments(expr) : { positional: [], keywords: new Map<string, PyNode>() };
      if (attr === "tool") this.tools.push(this.#fastmcpTool(decorator, def, args));
      else if (attr === "resource") this.#fastmcpResource(decorator, def, args);
    }
  }

  #readCall(call: PyNode): void {
    const fn = call.childForFieldName("function");
    if (!fn) return;
    const name = fn.type === "attribute" ? fn.childForFieldName("attribute")?.text : fn.type === "identifier" ? fn.text : undefined;
    if (name === "add_tool" && fn.type === "attribute") {
      const args = this.#arguments(call);
      const target = args.positional[0];
      const def = target?.type === "identifier" ? this.#functions.get(target.text) : undefined;
      if (def) this.tools.push(this.#fastmcpTool(call, def, { positional: [], keywords: args.keywords }));
    } else if (name === "Tool") this.#lowLevelTool(call);
    else if (name === "Resource" || name === "TextResourceContents" || name === "ResourceContents") this.#lowLevelResource(call);
  }

  #fastmcpTool(at: PyNode, def: PyNode, args: PyArguments): ToolDecl {
    const kw = (k: string) => {
      const n = args.keywords.get(k);
      return n ? this.evaluate(n) : undefined;
    };
    const fnName = def.childForFieldName("name")?.text ?? "tool";
    const name = kw("name") ?? (args.positional[0] ? this.evaluate(args.positional[0]) : fnName);
    const description = kw("description") ?? docstring(def, this);
    const annotations = kw("annotations");
    const meta = kw("meta") ?? kw("_meta");
    const inputSchema = pythonSignatureSchema(def);
    return this.#tool({
      at,
      name,
      title: kw("title") ?? (isRecord(annotations) ? annotations.title : undefined),
      description,
      annotations,
      meta,
      securitySchemes: kw("security_schemes") ?? kw("securitySchemes"),
      inputSchema,
      style: "fastmcp",
      handler: this.#handlerCode(def),
      handlerAt: def,
      params: inputSchema.fields.map((f) => f.name),
    });
  }

  #lowLevelTool(call: PyNode): void {
    const args = this.#arguments(call);
    const kw = (k: string) => {
      const n = args.keywords.get(k);
      return n ? this.evaluate(n) : undefined;
    };
    const name = kw("name");
    if (name === undefined) return;
    const schema = kw("inputSchema") ?? kw("input_schema");
    const inputSchema: InputSchemaSummary = isRecord(schema)
      ? summarizeJsonSchema(schema)
      : schema === undefined
        ? { kind: "none", fields: [], open: false }
        : { kind: "dynamic", fields: [], open: false };
    const branch = typeof name === "string" ? this.#dispatchBranch(name) : null;
    const annotations = kw("annotations");
    this.tools.push(
      this.#tool({
        at: call,
        name,
        title: kw("title") ?? (isRecord(annotations) ? annotations.title : undefined),
        description: kw("description"),
        annotations,
        meta: kw("_meta") ?? kw("meta"),
        securitySchemes: kw("securitySchemes"),
        inputSchema,
        style: "python-lowlevel",
        handler: branch ? this.#handlerCode(branch) : null,
        handlerAt: branch,
        params: inputSchema.fields.map((f) => f.name),
      }),
    );
  }

  #tool(o: {
    at: PyNode;
    name: StaticValue | undefined;
    title: StaticValue | undefined;
    description: StaticValue | undefined;
    annotations: StaticValue | undefined;
    meta: StaticValue | undefined;
    securitySchemes: StaticValue | undefined;
    inputSchema: InputSchemaSummary;
    style: DeclarationStyle;
    handler: string | null;
    handlerAt: PyNode | null;
    params: string[];
  }): ToolDecl {
    const dyn: string[] = [];
    if (typeof o.name !== "string") dyn.push("name");
    dynamicPaths(o.title, "title", dyn);
    dynamicPaths(o.description, "description", dyn);
    dynamicPaths(o.annotations, "annotations", dyn);
    dynamicPaths(o.meta, "_meta", dyn);
    dynamicPaths(o.securitySchemes, "securitySchemes", dyn);
    if (o.inputSchema.kind === "dynamic") dyn.push("inputSchema");
    const meta = recordOrNull(o.meta);
    return {
      name: typeof o.name === "string" ? o.name : `{${isDynamic(o.name) ? o.name.$dynamic : "name"}}`,
      title: stringOrNull(o.title),
      description: stringOrNull(o.description),
      annotations: recordOrNull(o.annotations),
      securitySchemes: securitySchemesOf(o.securitySchemes, meta),
      meta,
      inputSchema: o.inputSchema,
      location: { path: this.file.path, line: o.at.startPosition.row + 1 },
      dynamic: [...new Set(dyn)],
      style: o.style,
      loop: null,
      effects: o.handler === null ? null : effectsOf(o.handler, o.params),
      handler: o.handlerAt ? { path: this.file.path, line: o.handlerAt.startPosition.row + 1 } : null,
    };
  }

  #fastmcpResource(at: PyNode, def: PyNode, args: PyArguments): void {
    const kw = (k: string) => {
      const n = args.keywords.get(k);
      return n ? this.evaluate(n) : undefined;
    };
    const uri = args.positional[0] ? this.evaluate(args.positional[0]) : kw("uri");
    const mime = kw("mime_type") ?? kw("mimeType");
    const meta = kw("meta") ?? kw("_meta");
    const body = def.childForFieldName("body");
    let html: string | null = null;
    if (body) {
      walkPython(body, (n) => {
        if (n.type === "return_statement" && html === null) {
          const v = n.namedChildren[0] ? this.evaluate(n.namedChildren[0]) : undefined;
          if (typeof v === "string") html = v;
        }
        return n.type !== "function_definition" || n === def;
      });
    }
    this.#addResource(at, uri, {
      mimeType: mime,
      _meta: meta,
      text: html ?? undefined,
      name: kw("name") ?? def.childForFieldName("name")?.text,
    });
  }

  #lowLevelResource(call: PyNode): void {
    const args = this.#arguments(call);
    const kw = (k: string) => {
      const n = args.keywords.get(k);
      return n ? this.evaluate(n) : undefined;
    };
    const uri = kw("uri");
    if (typeof uri !== "string" || !uri.startsWith("ui://")) return;
    this.#addResource(call, uri, {
      mimeType: kw("mimeType") ?? kw("mime_type"),
      _meta: kw("_meta") ?? kw("meta"),
      text: kw("text"),
      name: kw("name"),
    });
  }

  #addResource(at: PyNode, uri: StaticValue | undefined, v: Record<string, StaticValue | undefined>): void {
    const dyn: string[] = [];
    if (typeof uri !== "string") dyn.push("uri");
    dynamicPaths(v._meta, "_meta", dyn);
    this.resources.push({
      uri: typeof uri === "string" ? uri : `{${isDynamic(uri) ? uri.$dynamic : "uri"}}`,
      name: stringOrNull(v.name),
      mimeType: stringOrNull(v.mimeType),
      meta: recordOrNull(v._meta),
      html: stringOrNull(v.text),
      location: { path: this.file.path, line: at.startPosition.row + 1 },
      dynamic: dyn,
    });
  }

  /** `if name == "x":` / `case "x":` in a call_tool dispatcher. */
  #dispatchBranch(name: string): PyNode | null {
    let found: PyNode | null = null;
    walkPython(this.file.tree.rootNode, (n) => {
      if (found) return false;
      if (n.type === "if_statement" || n.type === "elif_clause") {
        const cond = n.childForFieldName("condition");
        if (cond?.type === "comparison_operator" && cond.namedChildren.some((c) => c?.type === "string" && this.evaluate(c) === name))
          found = n.childForFieldName("consequence");
      } else if (n.type === "case_clause") {
        const pattern = n.namedChildren.find((c) => c?.type === "case_pattern");
        if (pattern && pattern.text.replace(/^["']|["']$/g, "") === name) found = n.childForFieldName("consequence") ?? n;
      }
      return undefined;
    });
    return found;
  }

  /** The handler's code plus same-file helpers it calls (one level). */
  #handlerCode(node: PyNode): string {
    const parts = [node.text];
    let size = node.text.length;
    const seen = new Set<string>();
    walkPython(node, (n) => {
      if (size > MAX_HANDLER_CODE) return false;
      if (n.type === "call") {
        const fn = n.childForFieldName("function");
        const helper = fn?.type === "identifier" ? this.#functions.get(fn.text) : undefined;
        if (helper && !seen.has(fn!.text) && helper.id !== node.id) {
          seen.add(fn!.text);
          parts.push(helper.text);
          size += helper.text.length;
        }
      }
      return undefined;
    });
    return parts.join("\n");
  }

  #arguments(call: PyNode): PyArguments {
    const positional: PyNode[] = [];
    const keywords = new Map<string, PyNode>();
    const list = call.childForFieldName("arguments");
    for (const a of list?.namedChildren ?? []) {
      if (!a || a.type === "comment") continue;
      if (a.type === "keyword_argument") {
        const k = a.childForFieldName("name")?.text;
        const v = a.childForFieldName("value");
        if (k && v) keywords.set(k, v);
      } else positional.push(a);
    }
    return { positional, keywords };
  }

  evaluate(node: PyNode, bindings: Bindings = NO_BINDINGS, depth = 0): StaticValue | undefined {
    if (depth > MAX_DEPTH || ++this.#steps > STEP_BUDGET) return dynamic(node.text);
    const next = depth + 1;
    switch (node.type) {
      case "string":
        return pythonString(node);
      case "concatenated_string": {
        let out = "";
        for (const c of node.namedChildren) {
          const v = c ? this.evaluate(c, bindings, next) : undefined;
          if (typeof v !== "string") return dynamic(node.text);
          out += v;
        }
        return out;
      }
      case "integer":
      case "float": {
        const n = Number(node.text.replace(/_/g, ""));
        return Number.isFinite(n) ? n : dynamic(node.text);
      }
      case "true":
        return true;
      case "false":
        return false;
      case "none":
        return null;
      case "parenthesized_expression":
        return node.namedChildren[0] ? this.evaluate(node.namedChildren[0], bindings, next) : undefined;
      case "list":
      case "tuple": {
        const out: StaticValue[] = [];
        for (const c of node.namedChildren) {
          if (!c || c.type === "comment") continue;
          if (c.type === "list_splat") {
            const v = c.namedChildren[0] ? this.evaluate(c.namedChildren[0], bindings, next) : undefined;
            if (Array.isArray(v)) out.push(...v);
            else out.push(dynamic(c.text));
            continue;
          }
          const v = this.evaluate(c, bindings, next);
          out.push(v === undefined ? null : v);
        }
        return out;
      }
      case "dictionary": {
        const out: Record<string, StaticValue> = {};
        for (const c of node.namedChildren) {
          if (!c || c.type === "comment") continue;
          if (c.type === "pair") {
            const k = c.childForFieldName("key");
            const v = c.childForFieldName("value");
            const key = k ? this.evaluate(k, bindings, next) : undefined;
            if (typeof key !== "string" && typeof key !== "number") {
              out.$spread = dynamic(c.text);
              continue;
            }
            const value = v ? this.evaluate(v, bindings, next) : undefined;
            if (value !== undefined) out[String(key)] = value;
          } else if (c.type === "dictionary_splat") {
            const v = c.namedChildren[0] ? this.evaluate(c.namedChildren[0], bindings, next) : undefined;
            if (isRecord(v)) Object.assign(out, v);
            else out.$spread = dynamic(c.text);
          }
        }
        return out;
      }
      case "identifier":
        return this.#lookup(node.text, bindings, next);
      case "attribute": {
        const obj = node.childForFieldName("object");
        const attr = node.childForFieldName("attribute")?.text ?? "";
        const v = obj ? this.evaluate(obj, bindings, next) : undefined;
        if (isRecord(v) && Object.hasOwn(v, attr)) return v[attr];
        return dynamic(node.text);
      }
      case "subscript": {
        const obj = node.childForFieldName("value");
        const idx = node.childForFieldName("subscript");
        const v = obj ? this.evaluate(obj, bindings, next) : undefined;
        const k = idx ? this.evaluate(idx, bindings, next) : undefined;
        if (isRecord(v) && typeof k === "string" && Object.hasOwn(v, k)) return v[k];
        if (Array.isArray(v) && typeof k === "number") return v[k];
        return dynamic(node.text);
      }
      case "binary_operator": {
        const l = node.childForFieldName("left");
        const r = node.childForFieldName("right");
        const op = node.childForFieldName("operator")?.text;
        const lv = l ? this.evaluate(l, bindings, next) : undefined;
        const rv = r ? this.evaluate(r, bindings, next) : undefined;
        if (op === "+" && typeof lv === "string" && typeof rv === "string") return lv + rv;
        if (op === "+" && typeof lv === "number" && typeof rv === "number") return lv + rv;
        return dynamic(node.text);
      }
      case "call":
        return this.#call(node, bindings, next);
    }
    return dynamic(node.text);
  }

  #lookup(name: string, bindings: Bindings, depth: number): StaticValue | undefined {
    if (bindings.has(name)) return bindings.get(name);
    if (name === "True") return true;
    if (name === "False") return false;
    if (name === "None") return null;
    const assigned = this.#assignments.get(name);
    if (!assigned) return dynamic(name);
    if (this.#cache.has(name)) return this.#cache.get(name);
    if (this.#inProgress.has(name)) return dynamic(name);
    this.#inProgress.add(name);
    try {
      const v = this.evaluate(assigned, NO_BINDINGS, depth);
      this.#cache.set(name, v);
      return v;
    } finally {
      this.#inProgress.delete(name);
    }
  }

  #call(node: PyNode, bindings: Bindings, depth: number): StaticValue | undefined {
    const fn = node.childForFieldName("function");
    if (!fn) return dynamic(node.text);
    const args = this.#arguments(node);
    const name = fn.type === "attribute" ? (fn.childForFieldName("attribute")?.text ?? "") : fn.text;
    if (name === "dict" || name === "ToolAnnotations" || name === "ToolAnnotationsDict") {
      const out: Record<string, StaticValue> = {};
      if (args.positional[0]) {
        const base = this.evaluate(args.positional[0], bindings, depth);
        if (isRecord(base)) Object.assign(out, base);
      }
      for (const [k, v] of args.keywords) {
        const value = this.evaluate(v, bindings, depth);
        if (value !== undefined) out[k] = value;
      }
      return out;
    }
    if (name === "AnyUrl" || name === "str")
      return args.positional[0] ? this.evaluate(args.positional[0], bindings, depth) : dynamic(node.text);
    if (fn.type === "attribute") {
      const receiver = fn.childForFieldName("object");
      const rv = receiver ? this.evaluate(receiver, bindings, depth) : undefined;
      if (typeof rv === "string") {
        if (name === "join" && args.positional[0]) {
          const list = this.evaluate(args.positional[0], bindings, depth);
          if (Array.isArray(list) && list.every((x) => typeof x === "string")) return list.join(rv);
        }
        if (name === "strip") return rv.trim();
        if (name === "format" && args.positional.length === 0 && args.keywords.size === 0) return rv;
      }
      if (name === "dedent" && args.positional[0]) {
        const v = this.evaluate(args.positional[0], bindings, depth);
        if (typeof v === "string") return dedentPython(v);
      }
    }
    if (fn.type === "identifier") {
      const def = this.#functions.get(fn.text);
      if (def) return this.#callFunction(def, args, bindings, depth);
    }
    return dynamic(node.text);
  }

  /** Same-file helper: parameters bound to argument values, value of its first top-level `return`. */
  #callFunction(def: PyNode, args: PyArguments, bindings: Bindings, depth: number): StaticValue | undefined {
    const params = def.childForFieldName("parameters");
    const local = new Map<string, StaticValue | undefined>();
    let i = 0;
    for (const p of params?.namedChildren ?? []) {
      if (!p) continue;
      const pname = p.type === "identifier" ? p.text : (p.childForFieldName("name")?.text ?? p.namedChildren[0]?.text);
      if (!pname) continue;
      const kwNode = args.keywords.get(pname);
      const argNode = kwNode ?? args.positional[i++];
      const dflt = p.childForFieldName("value");
      local.set(pname, argNode ? this.evaluate(argNode, bindings, depth) : dflt ? this.evaluate(dflt, NO_BINDINGS, depth) : undefined);
    }
    const body = def.childForFieldName("body");
    for (const st of body?.namedChildren ?? []) {
      if (!st || st.type === "comment") continue;
      if (st.type === "expression_statement") {
        const a = st.namedChildren[0];
        if (a?.type === "assignment") {
          const left = a.childForFieldName("left");
          const right = a.childForFieldName("right");
          if (left?.type === "identifier" && right) local.set(left.text, this.evaluate(right, local, depth));
        }
        continue;
      }
      if (st.type === "return_statement") return st.namedChildren[0] ? this.evaluate(st.namedChildren[0], local, depth) : null;
      return dynamic(`${def.childForFieldName("name")?.text ?? "function"}(…)`);
    }
    return undefined;
  }
}

interface PyArguments {
  positional: PyNode[];
  keywords: Map<string, PyNode>;
}

/** A Python string literal's value; f-strings with interpolations are dynamic. */
function pythonString(node: PyNode): StaticValue {
  if (node.namedChildren.some((c) => c?.type === "interpolation")) return dynamic(node.text);
  const text = node.text;
  const prefix = /^[rRbBuUfF]{0,2}/.exec(text)![0];
  const rest = text.slice(prefix.length);
  const quote = rest.startsWith('"""') || rest.startsWith("'''") ? rest.slice(0, 3) : rest.slice(0, 1);
  if (!quote || !rest.endsWith(quote) || rest.length < quote.length * 2) return dynamic(text);
  const body = rest.slice(quote.length, rest.length - quote.length);
  return /r/i.test(prefix) ? body : decodePythonEscapes(body);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  v: "\v",
  "0": "\0",
  "\n": "",
};

export function decodePythonEscapes(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== "\\" || i === s.length - 1) {
      out += c;
      continue;
    }
    const n = s[i + 1]!;
    const hexLen = n === "x" ? 2 : n === "u" ? 4 : n === "U" ? 8 : 0;
    if (hexLen > 0) {
      const hex = s.slice(i + 2, i + 2 + hexLen);
      if (/^[0-9a-fA-F]+$/.test(hex) && hex.length === hexLen) {
        const cp = parseInt(hex, 16);
        out += cp <= 0x10ffff ? String.fromCodePoint(cp) : "";
        i += 1 + hexLen;
        continue;
      }
    }
    if (n in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[n];
      i += 1;
      continue;
    }
    out += c;
  }
  return out;
}

/** What Python's `inspect.cleandoc` does to a docstring: FastMCP and Python 3.13 use the cleaned text. */
export function cleandoc(doc: string): string {
  const lines = doc.replace(/\t/g, "        ").split("\n");
  let indent = Infinity;
  for (const line of lines.slice(1)) if (line.trim()) indent = Math.min(indent, line.length - line.trimStart().length);
  const cleaned = [lines[0]!.trimStart(), ...lines.slice(1).map((l) => (Number.isFinite(indent) ? l.slice(indent) : l))];
  while (cleaned.length > 0 && !cleaned[0]!.trim()) cleaned.shift();
  while (cleaned.length > 0 && !cleaned[cleaned.length - 1]!.trim()) cleaned.pop();
  return cleaned.map((l) => l.trimEnd()).join("\n");
}

function dedentPython(s: string): string {
  const lines = s.split("\n");
  let indent = Infinity;
  for (const line of lines) if (line.trim()) indent = Math.min(indent, line.length - line.trimStart().length);
  return Number.isFinite(indent) ? lines.map((l) => l.slice(indent)).join("\n") : s;
}

function docstring(def: PyNode, reader: PyFileReader): StaticValue | undefined {
  const first = def.childForFieldName("body")?.namedChildren.find((c) => c && c.type !== "comment");
  const expr = first?.type === "expression_statement" ? first.namedChildren[0] : null;
  if (!expr || (expr.type !== "string" && expr.type !== "concatenated_string")) return undefined;
  const v = reader.evaluate(expr);
  return typeof v === "string" ? cleandoc(v) : v;
}

const CONTEXT_TYPES = /\b(?:Context|RequestContext|ServerSession)\b/;

/** FastMCP builds the input schema from the signature: read it the same way. */
function pythonSignatureSchema(def: PyNode): InputSchemaSummary {
  const fields: InputField[] = [];
  let open = false;
  for (const p of def.childForFieldName("parameters")?.namedChildren ?? []) {
    if (!p || p.type === "comment") continue;
    if (
      p.type === "dictionary_splat_pattern" ||
      (p.type === "typed_parameter" && p.namedChildren[0]?.type === "dictionary_splat_pattern")
    ) {
      open = true;
      continue;
    }
    if (p.type === "list_splat_pattern" || p.type === "keyword_separator" || p.type === "positional_separator") continue;
    const name = p.type === "identifier" ? p.text : (p.childForFieldName("name")?.text ?? p.namedChildren[0]?.text);
    if (!name || name === "self" || name === "cls") continue;
    const typeText = p.childForFieldName("type")?.text ?? null;
    if (typeText && CONTEXT_TYPES.test(typeText)) continue;
    const hasDefault = p.type === "default_parameter" || p.type === "typed_default_parameter";
    const { type, optional } = pythonType(typeText);
    fields.push({ name, type, optional: optional || hasDefault });
  }
  return { kind: "python", fields, open };
}

function pythonType(text: string | null): { type: string; optional: boolean } {
  if (!text) return { type: "any", optional: false };
  let t = text.replace(/\s+/g, "");
  let optional = false;
  const annotated = /^(?:typing\.)?Annotated\[(.{1,500}?),/.exec(t);
  if (annotated) t = annotated[1]!;
  const opt = /^(?:typing\.)?Optional\[(.{1,500})\]$/.exec(t);
  if (opt) {
    t = opt[1]!;
    optional = true;
  }
  if (/\|None$|^None\|/.test(t)) {
    t = t.replace(/\|None$|^None\|/, "");
    optional = true;
  }
  const base = t.replace(/\[.*$/, "").replace(/^typing\./, "");
  const map: Record<string, string> = {
    str: "string",
    int: "number",
    float: "number",
    bool: "boolean",
    list: "array",
    List: "array",
    Sequence: "array",
    tuple: "array",
    set: "array",
    dict: "object(open)",
    Dict: "object(open)",
    Mapping: "object(open)",
    Any: "any",
    object: "any",
    Literal: "enum",
  };
  return { type: map[base] ?? (/^[A-Z]/.test(base) ? "object" : base || "any"), optional };
}
