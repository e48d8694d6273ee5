// Reads the tools and widget resources a TS/JS connector declares, in every style the Apps SDK and MCP SDKs allow:
// registerTool, the deprecated server.tool overloads, registerAppTool, Tool[] arrays served by a ListTools handler,
// mcp-handler routes, xmcp's per-file metadata, FastMCP-TS addTool; registerResource and low-level resource lists.
import path from "node:path";
import { calleeName, lineOf, ts, walk, type ParsedJs } from "../js";
import { effectsOf } from "./effects";
import { JsEvaluator, bindPattern, safeText, type EvalEnv } from "./js-eval";
import { NO_SCHEMA, summarizeJsInputSchema, summarizeJsonSchema } from "./js-input-schema";
import type { HandlerEffects, ToolDecl, WidgetResource } from "./types";
import type { DeclarationStyle, InputSchemaSummary, StaticValue } from "@/lib/core/types";
import { dynamic, dynamicPaths, isDynamic, isRecord, recordOrNull, securitySchemesOf, stringOrNull } from "./values";

/** Files without any of these words declare no tools or resources: skip their syntax trees. */
const INTERESTING =
  /registerTool|registerAppTool|\.tool\s*\(|addTool|ListToolsRequestSchema|registerResource|registerAppResource|\.resource\s*\(|ui:\/\/|export\s+const\s+metadata|createMcpHandler|text\/html/;
const MAX_LOOP_ITERATIONS = 500;
const MAX_HANDLER_CODE = 100_000;
const HANDLER_KEYS = new Set(["handler", "execute", "run", "callback", "cb", "fn", "impl"]);

export interface JsExtraction {
  tools: ToolDecl[];
  resources: WidgetResource[];
}

export function extractJsTools(files: ReadonlyMap<string, ParsedJs>, served: (path: string) => boolean = () => true): JsExtraction {
  const ev = new JsEvaluator(files);
  const tools: ToolDecl[] = [];
  const resources: WidgetResource[] = [];
  for (const file of files.values()) {
    if (!served(file.path) || !INTERESTING.test(file.text)) continue;
    const reader = new FileReader(ev, file);
    reader.read();
    tools.push(...reader.tools);
    resources.push(...reader.resources);
  }
  return { tools, resources };
}

interface LoopContext {
  pattern: ts.BindingName;
  iterable: ts.Expression;
}

class FileReader {
  readonly tools: ToolDecl[] = [];
  readonly resources: WidgetResource[] = [];
  readonly #claimedObjects = new Set<ts.Node>();

  constructor(
    readonly ev: JsEvaluator,
    readonly file: ParsedJs,
  ) {}

  read(): void {
    const calls: ts.CallExpression[] = [];
    const objects: ts.ObjectLiteralExpression[] = [];
    walk(this.file.sourceFile, (n) => {
      if (ts.isCallExpression(n)) calls.push(n);
      else if (ts.isObjectLiteralExpression(n)) objects.push(n);
    });
    for (const call of calls) this.#readCall(call);
    this.#readXmcp();
    for (const obj of objects) if (!this.#claimedObjects.has(obj)) this.#readResourceFragment(obj);
  }

  #readCall(call: ts.CallExpression): void {
    // Each declaration gets its own evaluation budget, so one hostile declaration can't blind the others.
    this.ev.resetBudget();
    const callee = call.expression;
    const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : null;
    const args = call.arguments;
    switch (method) {
      case "registerTool":
        if (ts.isPropertyAccessExpression(callee) && args.length >= 2)
          this.#withLoops(call, (env, loop) => this.#fromConfig(call, args[0]!, args[1], args[2], env, loop, "registerTool"));
        return;
      case "registerAppTool":
        if (args.length >= 3)
          this.#withLoops(call, (env, loop) => this.#fromConfig(call, args[1]!, args[2], args[3], env, loop, "registerAppTool"));
        return;
      case "tool":
        if (ts.isPropertyAccessExpression(callee) && args.length >= 2 && isHandlerLike(args[args.length - 1]!))
          this.#withLoops(call, (env, loop) => this.#fromToolOverload(call, env, loop));
        return;
      case "addTool":
        if (ts.isPropertyAccessExpression(callee) && args.length === 1 && ts.isObjectLiteralExpression(unwrap(args[0]!)))
          this.#withLoops(call, (env, loop) => this.#fromAddTool(call, env, loop));
        return;
      case "setRequestHandler":
        if (args.length >= 2 && /ListToolsRequestSchema$/.test(safeText(args[0]!, this.file))) this.#fromListTools(args[1]!);
        return;
      case "registerResource":
        if (ts.isPropertyAccessExpression(callee) && args.length >= 3) this.#fromResourceCall(call, args[1]!, args[2], args[3]);
        return;
      case "registerAppResource":
        if (args.length >= 4) this.#fromResourceCall(call, args[2]!, args[3], args[4]);
        return;
      case "resource":
        if (ts.isPropertyAccessExpression(callee) && args.length >= 3)
          this.#fromResourceCall(call, args[1]!, args.length >= 4 ? args[2] : undefined, args[args.length - 1]);
        return;
    }
  }

  /** Runs `read` once per iteration of the loops around `node` when they iterate constant data; once, marked, otherwise. */
  #withLoops(node: ts.Node, read: (env: EvalEnv, loop: string | null) => void): void {
    const loops = enclosingLoops(node);
    const base = this.ev.env(this.file);
    if (loops.length === 0) return read(base, null);
    const envs: Array<{ env: EvalEnv; loop: string | null }> = [{ env: base, loop: null }];
    for (const loop of loops) {
      const next: typeof envs = [];
      for (const { env, loop: marked } of envs) {
        const items = this.ev.evaluate(loop.iterable, env);
        if (Array.isArray(items) && items.length > 0 && envs.length * items.length <= MAX_LOOP_ITERATIONS) {
          for (const item of items) {
            const bindings = new Map(env.bindings);
            bindPattern(loop.pattern, item, bindings);
            next.push({ env: this.ev.env(this.file, bindings), loop: marked });
          }
        } else {
          const bindings = new Map(env.bindings);
          bindPattern(loop.pattern, dynamic(safeText(loop.pattern, this.file)), bindings);
          next.push({ env: this.ev.env(this.file, bindings), loop: marked ?? safeText(loop.iterable, this.file) });
        }
      }
      envs.splice(0, envs.length, ...next);
    }
    for (const { env, loop } of envs) read(env, loop);
  }

  #fromConfig(
    call: ts.CallExpression,
    nameNode: ts.Expression,
    configNode: ts.Expression | undefined,
    handlerNode: ts.Expression | undefined,
    env: EvalEnv,
    loop: string | null,
    style: DeclarationStyle,
  ): void {
    const name = this.ev.evaluate(nameNode, env);
    const config = configNode ? this.ev.evaluate(configNode, env) : undefined;
    const schemaNode = this.#propertyNode(config, configNode, "inputSchema", env);
    this.tools.push(
      this.#tool({
        node: call,
        name,
        config,
        style: insideMcpHandler(call) ? "mcp-handler" : style,
        inputSchema: summarizeSchemaNode(schemaNode, this.ev, env),
        handler: handlerNode,
        env,
        loop,
      }),
    );
  }

  /** server.tool(name, [description], [paramsSchema], [annotations], handler): argument kinds decide the overload. */
  #fromToolOverload(call: ts.CallExpression, env: EvalEnv, loop: string | null): void {
    const args = call.arguments;
    const middle = args.slice(1, -1);
    let description: StaticValue | undefined;
    let schemaNode: ts.Expression | undefined;
    let annotations: StaticValue | undefined;
    for (const arg of middle) {
      const value = this.ev.evaluate(arg, env);
      if (
        description === undefined &&
        schemaNode === undefined &&
        (typeof value === "string" || (isDynamic(value) && !looksLikeObjectNode(arg)))
      ) {
        description = value;
      } else if (schemaNode === undefined && !isAnnotationsObject(value)) schemaNode = arg;
      else annotations = value;
    }
    const config: Record<string, StaticValue> = {};
    if (description !== undefined) config.description = description;
    if (annotations !== undefined) config.annotations = annotations;
    this.tools.push(
      this.#tool({
        node: call,
        name: this.ev.evaluate(args[0]!, env),
        config,
        style: insideMcpHandler(call) ? "mcp-handler" : "server.tool",
        inputSchema: schemaNode ? summarizeJsInputSchema(schemaNode, this.ev, env) : NO_SCHEMA,
        handler: args[args.length - 1],
        env,
        loop,
      }),
    );
  }

  /** FastMCP for TypeScript: server.addTool({ name, description, parameters, annotations, execute }). */
  #fromAddTool(call: ts.CallExpression, env: EvalEnv, loop: string | null): void {
    const configNode = call.arguments[0]!;
    const config = this.ev.evaluate(configNode, env);
    if (!isRecord(config) || config.name === undefined) return;
    const schemaNode = this.#propertyNode(config, configNode, "parameters", env);
    this.tools.push(
      this.#tool({
        node: call,
        name: config.name,
        config,
        style: "addTool",
        inputSchema: summarizeSchemaNode(schemaNode, this.ev, env),
        handler: this.#propertyNode(config, configNode, "execute", env),
        env,
        loop,
      }),
    );
  }

  /** Low-level servers: the `tools` array a ListTools handler returns, element by element. */
  #fromListTools(handler: ts.Expression): void {
    const env = this.ev.env(this.file);
    const inner = unwrap(handler);
    const fn =
      ts.isArrowFunction(inner) || ts.isFunctionExpression(inner)
        ? inner
        : ts.isIdentifier(inner)
          ? this.ev.resolveFunction(inner, env)?.fn
          : null;
    if (!fn?.body) return;
    const returned = returnedExpressions(fn.body);
    for (const expr of returned) {
      const value = this.ev.evaluate(expr, env);
      const list = isRecord(value) ? value.tools : undefined;
      if (!Array.isArray(list)) {
        if (list !== undefined) this.tools.push(this.#dynamicListTool(expr, safeText(expr, this.file)));
        continue;
      }
      for (const element of list) {
        if (!isRecord(element)) {
          this.tools.push(this.#dynamicListTool(expr, isDynamic(element) ? element.$dynamic : "tool"));
          continue;
        }
        const origin = this.ev.origins.get(element) ?? expr;
        const nodes = this.ev.propertyNodes.get(element);
        const handlerKey = [...HANDLER_KEYS].find((k) => nodes?.has(k));
        const name = stringOrNull(element.name);
        const schemaNode = nodes?.get("inputSchema");
        this.tools.push(
          this.#tool({
            node: origin,
            name: element.name,
            config: element,
            style: "tools-array",
            // The evaluated value carries the .map callback's bindings; the node is needed for zod schemas.
            inputSchema:
              isRecord(element.inputSchema) && element.inputSchema.type !== undefined
                ? summarizeJsonSchema(element.inputSchema)
                : schemaNode
                  ? summarizeSchemaNode(schemaNode as ts.Expression, this.ev, env)
                  : NO_SCHEMA,
            handler: handlerKey ? (nodes!.get(handlerKey) as ts.Expression) : name ? dispatchBranch(this.file, name) : undefined,
            env,
            loop: null,
          }),
        );
      }
    }
  }

  #dynamicListTool(node: ts.Node, text: string): ToolDecl {
    return this.#tool({
      node,
      name: dynamic(text),
      config: undefined,
      style: "tools-array",
      inputSchema: { kind: "dynamic", fields: [], open: false },
      handler: undefined,
      env: this.ev.env(this.file),
      loop: text,
    });
  }

  /** xmcp: one tool per file, `export const metadata = { name, description, annotations, _meta }` and `export const schema`. */
  #readXmcp(): void {
    const sf = this.file.sourceFile;
    if (!/export\s+const\s+metadata/.test(this.file.text)) return;
    let metadataDecl: ts.VariableDeclaration | undefined;
    let schemaDecl: ts.VariableDeclaration | undefined;
    let handler: ts.Node | undefined;
    for (const st of sf.statements) {
      const exported = ts.canHaveModifiers(st) && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (ts.isVariableStatement(st) && exported) {
        for (const d of st.declarationList.declarations) {
          if (ts.isIdentifier(d.name) && d.name.text === "metadata") metadataDecl = d;
          if (ts.isIdentifier(d.name) && d.name.text === "schema") schemaDecl = d;
        }
      }
      if (ts.isExportAssignment(st)) handler = st.expression;
      if (ts.isFunctionDeclaration(st) && exported && ts.getModifiers(st)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword))
        handler = st;
    }
    if (!metadataDecl?.initializer) return;
    this.ev.resetBudget();
    const typed = metadataDecl.type ? safeText(metadataDecl.type, this.file) : "";
    const importsXmcp = sf.statements.some(
      (s) => ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === "xmcp",
    );
    const inToolsFolder = this.file.path.split("/").includes("tools");
    if (!(importsXmcp || /ToolMetadata/.test(typed) || (inToolsFolder && handler))) return;
    const env = this.ev.env(this.file);
    const metadata = this.ev.evaluate(metadataDecl.initializer, env);
    if (!isRecord(metadata)) return;
    const base = path.posix.basename(this.file.path).replace(/\.[^.]+$/, "");
    this.#claimedObjects.add(metadataDecl.initializer);
    this.tools.push(
      this.#tool({
        node: metadataDecl,
        name: metadata.name ?? base,
        config: metadata,
        style: "xmcp",
        inputSchema: schemaDecl?.initializer ? summarizeJsInputSchema(schemaDecl.initializer, this.ev, env) : NO_SCHEMA,
        handler: handler as ts.Expression | undefined,
        env,
        loop: null,
      }),
    );
  }

  #tool(opts: {
    node: ts.Node;
    name: StaticValue | undefined;
    config: StaticValue | undefined;
    style: DeclarationStyle;
    inputSchema: InputSchemaSummary;
    handler: ts.Expression | ts.Node | undefined;
    env: EvalEnv;
    loop: string | null;
  }): ToolDecl {
    const config = isRecord(opts.config) ? opts.config : {};
    const annotations = recordOrNull(config.annotations);
    const meta = recordOrNull(config._meta);
    const securitySchemes = securitySchemesOf(config.securitySchemes, meta);
    const dyn: string[] = [];
    if (opts.config !== undefined && !isRecord(opts.config)) dyn.push("config");
    if (typeof opts.name !== "string") dyn.push("name");
    for (const key of ["title", "description"] as const) if (config[key] !== undefined) dynamicPaths(config[key], key, dyn);
    if (config.annotations !== undefined) dynamicPaths(config.annotations, "annotations", dyn);
    if (config._meta !== undefined) dynamicPaths(config._meta, "_meta", dyn);
    if (config.securitySchemes !== undefined) dynamicPaths(config.securitySchemes, "securitySchemes", dyn);
    if (config.$spread) dyn.push("config");
    if (opts.inputSchema.kind === "dynamic") dyn.push("inputSchema");
    const name = typeof opts.name === "string" ? opts.name : `{${isDynamic(opts.name) ? opts.name.$dynamic : "name"}}`;
    const fields = opts.inputSchema.fields.map((f) => f.name);
    const handler = opts.handler ? this.#handlerCode(opts.handler, opts.env) : null;
    const effects: HandlerEffects | null = handler ? effectsOf(handler.text, [...fields, ...handler.params]) : null;
    return {
      name,
      title: stringOrNull(config.title) ?? stringOrNull(annotations?.title),
      description: stringOrNull(config.description),
      annotations,
      securitySchemes,
      meta,
      inputSchema: opts.inputSchema,
      location: { path: this.file.path, line: lineOf(opts.node, this.file.sourceFile) },
      dynamic: [...new Set(dyn)],
      style: opts.style,
      loop: opts.loop,
      effects,
      handler: handler?.at ?? null,
    };
  }

  /** The handler's code plus the bodies of helpers it calls (same file or relative imports, one level deep). */
  #handlerCode(handler: ts.Node, env: EvalEnv): { text: string; params: string[]; at: { path: string; line: number } } {
    let root: ts.Node = handler;
    let rootFile = this.file;
    if (ts.isIdentifier(handler)) {
      const fn = this.ev.resolveFunction(handler, env);
      if (fn) {
        root = fn.fn;
        rootFile = fn.file;
      }
    }
    const params: string[] = [];
    const fn = ts.isFunctionLike(root) ? root : null;
    const first = fn?.parameters[0];
    if (first && ts.isObjectBindingPattern(first.name))
      for (const el of first.name.elements) if (ts.isIdentifier(el.name)) params.push(el.name.text);
    const parts = [safeFullText(root, rootFile)];
    let size = parts[0]!.length;
    const seen = new Set<ts.Node>();
    walk(root, (n) => {
      if (size > MAX_HANDLER_CODE) return false;
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) {
        const helper = this.ev.resolveFunction(n.expression, this.ev.env(rootFile));
        if (helper && !seen.has(helper.fn) && helper.fn !== root) {
          seen.add(helper.fn);
          const text = safeFullText(helper.fn, helper.file);
          parts.push(text);
          size += text.length;
        }
      }
      return undefined;
    });
    const text = parts.join("\n");
    return { text, params, at: { path: rootFile.path, line: lineOf(root, rootFile.sourceFile) } };
  }

  #propertyNode(
    config: StaticValue | undefined,
    configNode: ts.Expression | undefined,
    key: string,
    env: EvalEnv,
  ): ts.Expression | undefined {
    if (isRecord(config)) {
      const node = this.ev.propertyNodes.get(config)?.get(key);
      if (node) return node as ts.Expression;
    }
    const inner = configNode ? unwrap(configNode) : undefined;
    if (inner && ts.isIdentifier(inner)) {
      const resolved = this.ev.resolveExpression(inner, env);
      if (resolved) return this.#propertyNode(undefined, resolved.node, key, resolved.env);
    }
    return undefined;
  }

  #fromResourceCall(
    call: ts.CallExpression,
    uriNode: ts.Expression,
    configNode: ts.Expression | undefined,
    handler: ts.Expression | undefined,
  ): void {
    const env = this.ev.env(this.file);
    const uriInner = unwrap(uriNode);
    const uriValue =
      ts.isNewExpression(uriInner) && uriInner.arguments?.[0]
        ? this.ev.evaluate(uriInner.arguments[0], env)
        : this.ev.evaluate(uriNode, env);
    const config = configNode && !isHandlerLike(configNode) ? this.ev.evaluate(configNode, env) : undefined;
    const resource = this.#resource(call, uriValue, isRecord(config) ? config : {});
    resource.name = stringOrNull(
      this.ev.evaluate(call.arguments[call.expression.getText(this.file.sourceFile).endsWith("registerAppResource") ? 1 : 0]!, env),
    );
    if (handler) {
      walk(handler, (n) => {
        if (!ts.isObjectLiteralExpression(n)) return undefined;
        this.#claimedObjects.add(n);
        const value = this.ev.evaluate(n, env);
        if (isRecord(value) && (value.mimeType !== undefined || value.text !== undefined || value._meta !== undefined))
          mergeFragment(resource, value);
        return undefined;
      });
    }
    this.resources.push(resource);
  }

  /** An object literal with a `ui://` uri anywhere (low-level resource lists, read handlers). */
  #readResourceFragment(obj: ts.ObjectLiteralExpression): void {
    if (!obj.properties.some((p) => p.name && ts.isIdentifier(p.name) && p.name.text === "uri")) return;
    this.ev.resetBudget();
    const value = this.ev.evaluate(obj, this.ev.env(this.file));
    if (!isRecord(value) || typeof value.uri !== "string" || !value.uri.startsWith("ui://")) return;
    if (value.mimeType === undefined && value._meta === undefined && value.text === undefined) return;
    const resource = this.#resource(obj, value.uri, {});
    resource.name = stringOrNull(value.name);
    mergeFragment(resource, value);
    this.resources.push(resource);
  }

  #resource(node: ts.Node, uri: StaticValue | undefined, config: Record<string, StaticValue>): WidgetResource {
    const dyn: string[] = [];
    if (typeof uri !== "string") dyn.push("uri");
    if (config._meta !== undefined) dynamicPaths(config._meta, "_meta", dyn);
    return {
      uri: typeof uri === "string" ? uri : `{${isDynamic(uri) ? uri.$dynamic : "uri"}}`,
      name: null,
      mimeType: stringOrNull(config.mimeType),
      meta: recordOrNull(config._meta),
      html: null,
      location: { path: this.file.path, line: lineOf(node, this.file.sourceFile) },
      dynamic: dyn,
    };
  }
}

/** Folds a `{ uri, mimeType, text, _meta }` object into a resource: first known values win, `_meta` keys merge. */
export function mergeFragment(resource: WidgetResource, value: Record<string, StaticValue>): void {
  if (!resource.mimeType && typeof value.mimeType === "string") resource.mimeType = value.mimeType;
  if (!resource.html && typeof value.text === "string") resource.html = value.text;
  const meta = recordOrNull(value._meta);
  if (meta) resource.meta = { ...meta, ...(resource.meta ?? {}) };
  if (value._meta !== undefined) dynamicPaths(value._meta, "_meta", resource.dynamic);
  resource.dynamic = [...new Set(resource.dynamic)];
}

function summarizeSchemaNode(node: ts.Expression | undefined, ev: JsEvaluator, env: EvalEnv): InputSchemaSummary {
  if (!node) return NO_SCHEMA;
  const inner = unwrap(node);
  // zodToJsonSchema(z.object(...)) and z.toJSONSchema(...): the zod schema inside says what the tool accepts.
  if (
    ts.isCallExpression(inner) &&
    /(?:zodToJsonSchema|toJSONSchema|toJsonSchema)$/.test(calleeName(inner.expression) ?? "") &&
    inner.arguments[0]
  )
    return summarizeJsInputSchema(inner.arguments[0], ev, env);
  return summarizeJsInputSchema(node, ev, env);
}

/** Loops around a registration, innermost last: `for (const x of xs)`, `xs.forEach((x) => …)`, `xs.map((x) => …)`. */
function enclosingLoops(node: ts.Node): LoopContext[] {
  const loops: LoopContext[] = [];
  let child: ts.Node = node;
  for (let n = node.parent; n && !ts.isSourceFile(n); child = n, n = n.parent) {
    if (ts.isForOfStatement(n) && child === n.statement) {
      const init = n.initializer;
      if (ts.isVariableDeclarationList(init) && init.declarations[0])
        loops.unshift({ pattern: init.declarations[0].name, iterable: n.expression });
    } else if (
      (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) &&
      ts.isCallExpression(n.parent) &&
      n.parent.arguments[0] === n &&
      ts.isPropertyAccessExpression(n.parent.expression) &&
      ["forEach", "map", "flatMap"].includes(n.parent.expression.name.text) &&
      n.parameters[0]
    ) {
      loops.unshift({ pattern: n.parameters[0].name, iterable: n.parent.expression.expression });
    } else if (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) break;
  }
  return loops;
}

function insideMcpHandler(node: ts.Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isCallExpression(n) && /(?:^|\.)(?:createMcpHandler|initializeMcpApiHandler)$/.test(calleeName(n.expression) ?? "")) return true;
  }
  return false;
}

/** The branch of a CallTool dispatcher that handles `name`: `case "name":`, `if (name === "name")`, or `{ name: handler }`. */
function dispatchBranch(file: ParsedJs, name: string): ts.Node | undefined {
  let found: ts.Node | undefined;
  walk(file.sourceFile, (n) => {
    if (found) return false;
    if (ts.isCaseClause(n) && ts.isStringLiteralLike(n.expression) && n.expression.text === name) found = n;
    else if (ts.isIfStatement(n) && ts.isBinaryExpression(n.expression)) {
      const { left, right, operatorToken } = n.expression;
      const eq = operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken || operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken;
      if (eq && [left, right].some((s) => ts.isStringLiteralLike(s) && s.text === name)) found = n.thenStatement;
    } else if (
      ts.isPropertyAssignment(n) &&
      (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name)) &&
      n.name.text === name &&
      (ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer))
    )
      found = n.initializer;
    return undefined;
  });
  return found;
}

/** Expressions a function body returns (arrow expression bodies included). */
function returnedExpressions(body: ts.Node): ts.Expression[] {
  if (!ts.isBlock(body)) return [body as ts.Expression];
  const out: ts.Expression[] = [];
  walk(body, (n) => {
    if (n !== body && ts.isFunctionLike(n)) return false;
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    return undefined;
  });
  return out;
}

function isHandlerLike(node: ts.Expression): boolean {
  const inner = unwrap(node);
  return (
    ts.isArrowFunction(inner) ||
    ts.isFunctionExpression(inner) ||
    ts.isIdentifier(inner) ||
    ts.isPropertyAccessExpression(inner) ||
    ts.isCallExpression(inner)
  );
}

function looksLikeObjectNode(node: ts.Expression): boolean {
  const inner = unwrap(node);
  return ts.isObjectLiteralExpression(inner) || ts.isCallExpression(inner) || ts.isIdentifier(inner);
}

const ANNOTATION_KEYS = new Set(["title", "readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"]);

function isAnnotationsObject(value: StaticValue | undefined): boolean {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => ANNOTATION_KEYS.has(k)) && keys.some((k) => k.endsWith("Hint"));
}

function unwrap(node: ts.Expression): ts.Expression {
  let cur = node;
  while (ts.isParenthesizedExpression(cur) || ts.isAsExpression(cur) || ts.isSatisfiesExpression(cur) || ts.isNonNullExpression(cur))
    cur = cur.expression;
  return cur;
}

function safeFullText(node: ts.Node, file: ParsedJs): string {
  try {
    return node.getText(file.sourceFile);
  } catch {
    return "";
  }
}
