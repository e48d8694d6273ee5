// Reads the tools and widget resources a TS/JS connector declares, in every style the Apps SDK and MCP SDKs allow:
// registerTool, the deprecated server.tool overloads, registerAppTool, Tool[] arrays served by a ListTools handler,
// mcp-handler routes, xmcp's per-file metadata, FastMCP-TS addTool; registerResource and low-level resource lists.
import path from "node:path";
import { calleeName, lineOf, ts, walk, type JsSources, type ParsedJs } from "../js";
import { effectsOf } from "./effects";
import { JsEvaluator, ModuleAliases, NO_ALIASES, bindPattern, safeText, type EvalEnv } from "./js-eval";
import { NO_SCHEMA, summarizeJsInputSchema, summarizeJsonSchema } from "./js-input-schema";
import type { HandlerEffects, ToolDecl, WidgetResource } from "./types";
import type { DeclarationStyle, InputSchemaSummary, StaticValue } from "@/lib/core/types";
import { dynamic, dynamicPaths, isDynamic, isRecord, recordOrNull, securitySchemesOf, stringOrNull } from "./values";

/** Files without any of these words declare no tools or resources: skip their syntax trees. */
export const INTERESTING =
  /registerTool|registerAppTool|\.tool\s*\(|addTool|ListToolsRequestSchema|tools\/list|registerResource|registerAppResource|\.resource\s*\(|ui:\/\/|export\s+const\s+metadata|createMcpHandler|text\/html/;
const MAX_LOOP_ITERATIONS = 500;
const MAX_HANDLER_CODE = 100_000;
const XMCP_OPENAI_RESOURCE_KEYS = ["widgetDescription", "widgetPrefersBorder", "widgetCSP", "widgetDomain", "widgetState"];
const XMCP_UI_RESOURCE_KEYS = ["prefersBorder", "domain", "csp", "connectDomains", "resourceDomains"];
const HANDLER_KEYS = new Set(["handler", "execute", "run", "callback", "cb", "fn", "impl"]);

export interface JsExtraction {
  tools: ToolDecl[];
  resources: WidgetResource[];
}

export function extractJsTools(
  files: JsSources,
  served: (path: string) => boolean = () => true,
  aliases: ModuleAliases = NO_ALIASES,
  /** The engine's yield point, called between files (ScanOptions.pace). */
  pace: () => void = () => {},
): JsExtraction {
  const ev = new JsEvaluator(files, aliases);
  const tools: ToolDecl[] = [];
  const resources: WidgetResource[] = [];
  const servedPaths = files.paths().filter(served);
  const calls = new CallIndex(files, servedPaths);
  for (const p of servedPaths) {
    if (!INTERESTING.test(files.text(p) ?? "")) continue;
    pace();
    const file = files.get(p);
    if (!file) continue;
    const reader = new FileReader(ev, file, calls);
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

interface LoopEnv {
  env: EvalEnv;
  /** What a loop over data not known statically iterates, when there is one. */
  loop: string | null;
  /** The constant item (or call) this iteration stands for: where its tool is located. */
  at: ts.Node | null;
}

/** A function whose parameters reach a registration: `function addTool(server, def) { … }`. */
interface Helper {
  fn: ts.SignatureDeclaration & { body?: ts.Node };
  name: string;
}

/**
 * Calls and classes in served files, found by walking only the files whose text names what is looked for (a call of
 * `addTool` is in a file that says "addTool"), so the syntax trees of the rest are never needed.
 */
class CallIndex {
  readonly #sitesByName = new Map<string, Array<{ call: ts.CallExpression; file: ParsedJs }>>();
  #classes: Array<{ node: ts.ClassDeclaration; file: ParsedJs }> | null = null;

  constructor(
    readonly files: JsSources,
    /** The served files, the only ones searched. */
    readonly paths: readonly string[],
  ) {}

  /** Served files whose text `says` accepts, parsed. */
  #filesWhere(says: (text: string) => boolean): ParsedJs[] {
    return this.paths.filter((p) => says(this.files.text(p) ?? "")).flatMap((p) => this.files.get(p) ?? []);
  }

  /** A class and every class in served files that extends it, directly or not. */
  subclassesOf(root: ts.ClassDeclaration, ev: JsEvaluator): Array<{ node: ts.ClassDeclaration; file: ParsedJs }> {
    if (!this.#classes) {
      this.#classes = [];
      // Only a class that extends another can be a subclass; the root is found by its own file below.
      for (const file of this.#filesWhere((text) => text.includes("extends") && /\bclass\b/.test(text))) {
        walk(file.sourceFile, (n) => {
          if (ts.isClassDeclaration(n)) this.#classes!.push({ node: n, file });
          return undefined;
        });
      }
    }
    const rootPath = root.getSourceFile().fileName;
    const rootFile = this.paths.includes(rootPath) ? this.files.get(rootPath) : undefined;
    const found = new Map<ts.ClassDeclaration, ParsedJs>();
    if (rootFile) found.set(root, rootFile);
    let grew = true;
    while (grew && found.size < MAX_LOOP_ITERATIONS) {
      grew = false;
      for (const c of this.#classes) {
        if (found.size >= MAX_LOOP_ITERATIONS) break;
        if (found.has(c.node)) continue;
        const base = c.node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
        if (!base || !ts.isIdentifier(base)) continue;
        if (![...found.keys()].some((k) => k.name?.text === base.text)) continue;
        // Resolved through imports; a base imported from a package we can't follow is matched by its name.
        const parent = ev.resolveClass(base, ev.env(c.file));
        if (parent ? found.has(parent.node) : true) {
          found.set(c.node, c.file);
          grew = true;
        }
      }
    }
    return [...found].map(([node, file]) => ({ node, file }));
  }

  /** Calls in served files named `name` (`name(…)` or `x.name(…)`). */
  #callsNamed(name: string): Array<{ call: ts.CallExpression; file: ParsedJs }> {
    let sites = this.#sitesByName.get(name);
    if (sites) return sites;
    const found: Array<{ call: ts.CallExpression; file: ParsedJs }> = [];
    for (const file of this.#filesWhere((text) => text.includes(name))) {
      walk(file.sourceFile, (n) => {
        if (!ts.isCallExpression(n)) return undefined;
        const callee = n.expression;
        const called = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : null;
        if (called === name) found.push({ call: n, file });
        return undefined;
      });
    }
    this.#sitesByName.set(name, (sites = found));
    return sites;
  }

  sitesOf(helper: Helper, ev: JsEvaluator): Array<{ call: ts.CallExpression; file: ParsedJs }> {
    return this.#callsNamed(helper.name).filter(({ call, file }) => {
      const callee = call.expression;
      if (ts.isIdentifier(callee)) return ev.resolveFunction(callee, ev.env(file))?.fn === helper.fn;
      // ns.helper(…) through `import * as ns`
      if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression)) {
        const target = ev.namespaceImport(file, callee.expression.text);
        return !!target && target.sourceFile === helper.fn.getSourceFile();
      }
      return false;
    });
  }
}

class FileReader {
  readonly tools: ToolDecl[] = [];
  readonly resources: WidgetResource[] = [];
  readonly #claimedObjects = new Set<ts.Node>();

  constructor(
    readonly ev: JsEvaluator,
    readonly file: ParsedJs,
    readonly calls: CallIndex,
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
    this.#readJsonRpcLists();
    for (const obj of objects) if (!this.#claimedObjects.has(obj)) this.#readResourceFragment(obj);
  }

  #readCall(call: ts.CallExpression): void {
    // Each declaration gets its own evaluation budget, so one hostile declaration can't blind the others.
    this.ev.resetBudget();
    // (server.registerTool as RegisterFn)(…) calls the same method.
    const callee = unwrap(call.expression);
    const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : null;
    const args = call.arguments;
    switch (method) {
      case "registerTool":
      // server.experimental.tasks.registerToolTask(name, config, { createTask, getTask, getTaskResult })
      case "registerToolTask":
        if (ts.isPropertyAccessExpression(callee) && args.length >= 2)
          this.#withCallers(call, (env, loop) => this.#fromConfig(call, args[0]!, args[1], args[2], env, loop, "registerTool"));
        return;
      case "registerAppTool":
        if (args.length >= 3)
          this.#withCallers(call, (env, loop) => this.#fromConfig(call, args[1]!, args[2], args[3], env, loop, "registerAppTool"));
        return;
      case "tool":
        if (ts.isPropertyAccessExpression(callee) && args.length >= 2 && isHandlerLike(args[args.length - 1]!))
          this.#withCallers(call, (env, loop) => this.#fromToolOverload(call, env, loop));
        return;
      case "addTool":
        if (ts.isPropertyAccessExpression(callee) && args.length === 1 && ts.isObjectLiteralExpression(unwrap(args[0]!)))
          this.#withCallers(call, (env, loop) => this.#fromAddTool(call, env, loop));
        return;
      case "setRequestHandler":
        if (args.length >= 2 && /ListToolsRequestSchema$/.test(safeText(args[0]!, this.file))) this.#fromListTools(args[1]!);
        return;
      case "registerResource":
        if (ts.isPropertyAccessExpression(callee) && args.length >= 3)
          this.#resourcesWithCallers(call, (env, _loop, at) => this.#fromResourceCall(call, args[1]!, args[2], args[3], env, at));
        return;
      case "registerAppResource":
        if (args.length >= 4)
          this.#resourcesWithCallers(call, (env, _loop, at) => this.#fromResourceCall(call, args[2]!, args[3], args[4], env, at));
        return;
      case "resource":
        if (ts.isPropertyAccessExpression(callee) && args.length >= 3)
          this.#resourcesWithCallers(call, (env, _loop, at) =>
            this.#fromResourceCall(call, args[1]!, args.length >= 4 ? args[2] : undefined, args[args.length - 1], env, at),
          );
        return;
    }
  }

  /** Runs `read` once per iteration of the loops around `node` when they iterate constant data; once, marked, otherwise. */
  #withLoops(node: ts.Node, read: (env: EvalEnv, loop: string | null, at: ts.Node | null) => void): void {
    for (const { env, loop, at } of this.#loopEnvs(node, this.file, this.ev.env(this.file))) read(env, loop, at);
  }

  /** The environments `node` runs in: one per iteration of the constant loops around it (inside its function). */
  #loopEnvs(node: ts.Node, file: ParsedJs, base: EvalEnv): LoopEnv[] {
    const loops = enclosingLoops(node);
    const envs: LoopEnv[] = [{ env: base, loop: null, at: null }];
    for (const loop of loops) {
      const next: LoopEnv[] = [];
      for (const { env, loop: marked, at } of envs) {
        const items = this.ev.evaluate(loop.iterable, env);
        if (Array.isArray(items) && items.length > 0 && envs.length * items.length <= MAX_LOOP_ITERATIONS) {
          for (const item of items) {
            const bindings = new Map(env.bindings);
            bindPattern(loop.pattern, item, bindings);
            const origin = item !== null && typeof item === "object" ? this.ev.origins.get(item) : undefined;
            next.push({ env: this.ev.env(file, bindings), loop: marked, at: origin ?? at });
          }
        } else {
          const bindings = new Map(env.bindings);
          bindPattern(loop.pattern, dynamic(safeText(loop.pattern, file)), bindings);
          next.push({ env: this.ev.env(file, bindings), loop: marked ?? safeText(loop.iterable, file), at });
        }
      }
      envs.splice(0, envs.length, ...next);
    }
    return envs;
  }

  /**
   * Like #withLoops; and when the registration sits in a helper whose parameters decide the name
   * (`function addTool(server, def) { server.registerTool(def.name, …) }`), once per call of the helper, with the
   * arguments of each call (and the loops around it): `for (const d of DEFS) addTool(server, d)`.
   */
  #withCallers(node: ts.Node, read: (env: EvalEnv, loop: string | null) => void): void {
    this.#expandThroughCallers(
      node,
      read,
      this.tools,
      (t) => t.dynamic.includes("name"),
      (t) => `${t.name}|${t.location.path}|${t.location.line}`,
    );
  }

  /** The same for resources registered in a helper (`registerWidget(server, w)`): one per call, by its uri. */
  #resourcesWithCallers(node: ts.Node, read: (env: EvalEnv, loop: string | null, at: ts.Node | null) => void): void {
    this.#expandThroughCallers(
      node,
      read,
      this.resources,
      (r) => r.dynamic.includes("uri"),
      (r) => r.uri,
    );
  }

  #expandThroughCallers<T extends { location: { path: string; line: number } }>(
    node: ts.Node,
    read: (env: EvalEnv, loop: string | null, at: ts.Node | null) => void,
    out: T[],
    unknown: (item: T) => boolean,
    key: (item: T) => string,
  ): void {
    const before = out.length;
    this.#withLoops(node, read);
    const produced = out.slice(before);
    if (!produced.some(unknown)) return;
    const expanded: T[] = [];
    const seen = new Set<string>();
    const collect = (items: T[], where: ts.Node | null) => {
      for (const item of items) {
        if (where) item.location = locationOf(where);
        const k = key(item);
        if (seen.has(k)) continue;
        seen.add(k);
        expanded.push(item);
      }
    };
    // A base class's method that registers `this.name`: once per concrete class that extends it.
    const owner = enclosingClassMember(node);
    if (owner && /\bthis\b/.test(safeFullText(node, this.file))) {
      for (const cls of this.calls.subclassesOf(owner, this.ev)) {
        if (isAbstract(cls.node)) continue;
        this.ev.resetBudget();
        const self = this.ev.instantiate(cls.node, cls.file);
        const start = out.length;
        read(this.ev.env(this.file, new Map([["this", self]])), null, null);
        const nameNode = isRecord(self) ? this.ev.propertyNodes.get(self)?.get("name") : undefined;
        collect(
          out.splice(start),
          nameNode && nameNode.getSourceFile().fileName === cls.file.path ? nameNode : (cls.node.name ?? cls.node),
        );
      }
      if (expanded.some((item) => !unknown(item))) {
        out.splice(before, produced.length, ...expanded.filter((item) => !unknown(item)));
        return;
      }
      expanded.length = 0;
      seen.clear();
    }
    const helper = enclosingHelper(node);
    if (!helper) return;
    const sites = this.#callerEnvs(helper, 0);
    for (const site of sites) {
      for (const { env, loop, at } of this.#loopEnvs(node, this.file, this.ev.env(this.file, site.bindings))) {
        const start = out.length;
        this.ev.resetBudget();
        read(env, loop ?? site.loop, at ?? site.at);
        collect(out.splice(start), at ?? site.at);
      }
    }
    if (!expanded.some((item) => !unknown(item))) return;
    out.splice(before, produced.length, ...expanded);
  }

  /** Bindings of a helper's parameters at each of its call sites in served code (and the loops around each call). */
  #callerEnvs(
    helper: Helper,
    depth: number,
  ): Array<{ bindings: Map<string, StaticValue | undefined>; loop: string | null; at: ts.Node | null }> {
    const out: Array<{ bindings: Map<string, StaticValue | undefined>; loop: string | null; at: ts.Node | null }> = [];
    if (depth > 2) return out;
    for (const site of this.calls.sitesOf(helper, this.ev)) {
      const outer = enclosingHelper(site.call);
      const bases: Array<{ env: EvalEnv; loop: string | null; at: ts.Node | null; outerAt?: ts.Node | null }> = [];
      const plain = this.#loopEnvs(site.call, site.file, this.ev.env(site.file));
      const needsOuter = outer && plain.some(({ env }) => site.call.arguments.some((a) => isDynamic(this.ev.evaluate(a, env))));
      if (needsOuter) {
        for (const o of this.#callerEnvs(outer, depth + 1))
          bases.push(
            ...this.#loopEnvs(site.call, site.file, this.ev.env(site.file, o.bindings)).map((e) => ({
              ...e,
              loop: e.loop ?? o.loop,
              outerAt: o.at,
            })),
          );
      }
      if (bases.length === 0) bases.push(...plain);
      for (const { env, loop, at, outerAt } of bases) {
        if (out.length >= MAX_LOOP_ITERATIONS) return out;
        const bindings = new Map<string, StaticValue | undefined>();
        const helperFile = this.ev.files.get(helper.fn.getSourceFile().fileName) ?? this.file;
        // Where the tool this call makes is written: a loop item, an object literal it passes, an item an outer call
        // passes down (`for (const d of DEFS) registerOne(server, d)` → `addTool(server, d)`), else the call.
        let written: ts.Node | null = at ?? site.call.arguments.find((a) => ts.isObjectLiteralExpression(a)) ?? null;
        helper.fn.parameters.forEach((p, i) => {
          const arg = site.call.arguments[i];
          let value: StaticValue | undefined = arg && !ts.isSpreadElement(arg) ? this.ev.evaluate(arg, env) : undefined;
          if (p.dotDotDotToken) value = site.call.arguments.slice(i).map((a) => this.ev.evaluate(a, env) ?? null);
          // An argument left out is undefined (or the parameter's default); one that can't be read is unknown.
          else if (!arg) value = p.initializer ? this.ev.evaluate(p.initializer, this.ev.env(helperFile, bindings)) : undefined;
          else if (value === undefined) value = dynamic(safeText(p.name, helperFile));
          if (!written && outerAt && isRecord(value) && this.ev.origins.get(value) === outerAt) written = outerAt;
          bindPattern(p.name, value, bindings);
        });
        out.push({ bindings, loop, at: written ?? site.call });
      }
    }
    return out;
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
      this.#toolsFromList(isRecord(value) ? value.tools : undefined, expr, env, true);
    }
  }

  /** The served list, element by element: a dynamic marker for what can't be read (unless `markDynamic` is false). */
  #toolsFromList(list: StaticValue | undefined, expr: ts.Node, env: EvalEnv, markDynamic: boolean): void {
    if (!Array.isArray(list)) {
      if (list !== undefined && markDynamic) this.tools.push(this.#dynamicListTool(expr, safeText(expr, this.file)));
      return;
    }
    for (const element of list) {
      if (!isRecord(element)) {
        if (markDynamic) this.tools.push(this.#dynamicListTool(expr, isDynamic(element) ? element.$dynamic : "tool"));
        continue;
      }
      const origin = this.ev.origins.get(element) ?? expr;
      const nodes = this.ev.propertyNodes.get(element);
      const handlerKey = [...HANDLER_KEYS].find((k) => nodes?.has(k));
      const name = stringOrNull(element.name);
      const schemaNode = nodes?.get("inputSchema");
      const originFile = this.ev.files.get(origin.getSourceFile().fileName) ?? this.file;
      const schemaEnv = originFile === this.file ? env : this.ev.env(originFile);
      // The evaluated value carries the .map callback's bindings; the node is needed for zod schemas.
      let inputSchema =
        isRecord(element.inputSchema) && element.inputSchema.type !== undefined
          ? summarizeJsonSchema(element.inputSchema)
          : schemaNode
            ? summarizeSchemaNode(schemaNode as ts.Expression, this.ev, schemaEnv)
            : NO_SCHEMA;
      if (inputSchema.kind === "dynamic") {
        // `inputSchema: convert(def.inputSchema)` in a .map: the schema written in the tool's own definition.
        const own = schemaInObject(origin);
        if (own) inputSchema = summarizeSchemaNode(own, this.ev, this.ev.env(originFile));
      }
      const builtAt = this.ev.builtAt.get(element);
      this.tools.push(
        this.#tool({
          node: origin,
          ...(builtAt ? { listedAt: builtAt } : {}),
          name: element.name,
          config: element,
          style: "tools-array",
          inputSchema,
          handler: handlerKey
            ? (nodes!.get(handlerKey) as ts.Expression)
            : (handlerInObject(origin) ?? (name ? this.#dispatchBranchAnywhere(name) : undefined)),
          env: schemaEnv,
          loop: null,
        }),
      );
    }
  }

  /** The CallTool branch for `name`: in this file, else in the file that holds the hand-written dispatcher. */
  #dispatchBranchAnywhere(name: string): ts.Node | undefined {
    return dispatchBranch(this.file, name);
  }

  /**
   * Hand-written JSON-RPC: the branch that answers "tools/list" (`case "tools/list":`, `if (method === "tools/list")`,
   * `{ "tools/list": handler }`, `.on("tools/list", handler)`) and the `tools` list it answers with, in the branch
   * or in the functions it calls.
   */
  #readJsonRpcLists(): void {
    if (!this.file.text.includes("tools/list")) return;
    walk(this.file.sourceFile, (n) => {
      if (!ts.isStringLiteralLike(n) || n.text !== "tools/list") return undefined;
      const branch = jsonRpcBranch(n);
      if (!branch) return undefined;
      this.ev.resetBudget();
      const env = this.ev.env(this.file);
      const found = this.#listsIn(branch, env, 0);
      // A handler nothing served calls (only tests do) lists nothing: its unknown lists aren't tools.
      const live = isLive(n, this.calls);
      for (const { node, env: at } of found) {
        this.ev.resetBudget();
        const value = this.ev.evaluate(node, at);
        const helper = Array.isArray(value) ? null : enclosingHelper(n);
        if (helper && at.file === this.file && at.bindings.size === 0) {
          // The list comes from the handler's parameters (`{ tools: deps.listTools() }`): read it at each call.
          let read = false;
          for (const site of this.#callerEnvs(helper, 0)) {
            this.ev.resetBudget();
            const list = this.ev.evaluate(node, this.ev.env(this.file, site.bindings));
            if (!Array.isArray(list)) continue;
            this.#toolsFromList(list, node, this.ev.env(this.file, site.bindings), false);
            read = true;
          }
          if (read) continue;
        }
        this.#toolsFromList(value, node, at, live);
      }
      return undefined;
    });
  }

  /** `tools` properties of the objects a branch answers with, following the functions it calls (two levels). */
  #listsIn(root: ts.Node, env: EvalEnv, depth: number): Array<{ node: ts.Expression; env: EvalEnv }> {
    const out: Array<{ node: ts.Expression; env: EvalEnv }> = [];
    const calls: ts.CallExpression[] = [];
    walk(root, (n) => {
      if (ts.isPropertyAssignment(n) && propertyNameText(n.name) === "tools") out.push({ node: n.initializer, env });
      else if (ts.isShorthandPropertyAssignment(n) && n.name.text === "tools") out.push({ node: n.name, env });
      else if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) calls.push(n);
      return undefined;
    });
    if (out.length > 0 || depth >= 2) return out;
    for (const call of calls) {
      const fn = this.ev.resolveFunction(call.expression as ts.Identifier, env);
      if (!fn?.fn.body) continue;
      const bindings = new Map<string, StaticValue | undefined>();
      fn.fn.parameters.forEach((p, i) => {
        const arg = call.arguments[i];
        bindPattern(p.name, arg ? this.ev.evaluate(arg, env) : undefined, bindings);
      });
      out.push(...this.#listsIn(fn.fn.body, this.ev.env(fn.file, bindings), depth + 1));
    }
    return out;
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
    this.#xmcpWidgetResources(metadataDecl, this.tools[this.tools.length - 1]!, metadata);
  }

  /**
   * xmcp serves a widget resource for every tool whose metadata has `_meta.openai` (`ui://widget/<tool>.html`,
   * Apps SDK) or `_meta.ui` (`ui://app/<tool>.html`, MCP Apps), or whose handler is a React component, and moves the
   * resource keys of that metadata (CSP, domain, description, border) onto it.
   */
  #xmcpWidgetResources(at: ts.Node, tool: ToolDecl, metadata: Record<string, StaticValue>): void {
    if (tool.dynamic.includes("name")) return;
    const meta = recordOrNull(metadata._meta);
    const openai = recordOrNull(meta?.openai);
    const ui = recordOrNull(meta?.ui);
    const react = /\.[jt]sx$/.test(this.file.path);
    if (openai) {
      const resourceMeta: Record<string, StaticValue> = {};
      for (const key of XMCP_OPENAI_RESOURCE_KEYS) if (openai[key] !== undefined) resourceMeta[`openai/${key}`] = openai[key];
      this.resources.push({
        ...this.#resource(at, `ui://widget/${tool.name}.html`, { mimeType: "text/html+skybridge", _meta: resourceMeta }),
        name: tool.name,
      });
    }
    if (ui || (react && !openai)) {
      const resourceUi: Record<string, StaticValue> = {};
      for (const key of XMCP_UI_RESOURCE_KEYS) if (ui?.[key] !== undefined) resourceUi[key] = ui[key];
      this.resources.push({
        ...this.#resource(at, `ui://app/${tool.name}.html`, { mimeType: "text/html;profile=mcp-app", _meta: { ui: resourceUi } }),
        name: tool.name,
      });
    }
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
    listedAt?: ts.Node;
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
      location: locationOf(opts.node),
      ...this.#descriptionAt(opts.config, opts.node, opts.env),
      ...(opts.listedAt ? { listedAt: locationOf(opts.listedAt) } : {}),
      ...this.#annotationsAt(config, opts.node),
      dynamic: [...new Set(dyn)],
      style: opts.style,
      loop: opts.loop,
      effects,
      handler: handler?.at ?? null,
      ...(handler?.delegate ? { handlerDelegate: handler.delegate } : {}),
    };
  }

  /** Where the annotations object is written, when outside the registration (one object shared by many tools). */
  #annotationsAt(config: Record<string, StaticValue>, registration: ts.Node): { annotationsAt?: { path: string; line: number } } {
    const annotations = config.annotations;
    const node = isRecord(annotations) ? this.ev.origins.get(annotations) : undefined;
    if (!node) return {};
    const inside = node.getSourceFile() === registration.getSourceFile() && node.pos >= registration.pos && node.end <= registration.end;
    return inside ? {} : { annotationsAt: locationOf(node) };
  }

  /**
   * Where the description's text is written, when that is outside the registration: a tool list read in a loop
   * (`description: def.description` leads to the list's item), an imported tool object.
   */
  #descriptionAt(config: StaticValue | undefined, registration: ts.Node, env: EvalEnv): { descriptionAt?: { path: string; line: number } } {
    let node = isRecord(config) ? this.ev.propertyNodes.get(config)?.get("description") : undefined;
    for (let hops = 0; node && ts.isPropertyAccessExpression(node) && hops < 3; hops++) {
      const owner = this.ev.evaluate(node.expression, env);
      const next = isRecord(owner) ? this.ev.propertyNodes.get(owner)?.get(node.name.text) : undefined;
      if (!next) break;
      node = next;
    }
    if (!node || ts.isPropertyAccessExpression(node)) return {};
    const inside = node.getSourceFile() === registration.getSourceFile() && node.pos >= registration.pos && node.end <= registration.end;
    return inside ? {} : { descriptionAt: locationOf(node) };
  }

  /** The handler's code plus the bodies of helpers it calls (same file or relative imports, one level deep). */
  #handlerCode(
    handler: ts.Node,
    env: EvalEnv,
  ): { text: string; params: string[]; at: { path: string; line: number }; delegate?: { path: string; line: number } } {
    let root: ts.Node = handler;
    // tool.run.bind(tool): the method itself.
    while (ts.isCallExpression(root) && ts.isPropertyAccessExpression(root.expression) && root.expression.name.text === "bind")
      root = root.expression.expression;
    // A handler written in another module (a tool object imported from there) is read in that module.
    let rootFile = this.ev.files.get(root.getSourceFile().fileName) ?? this.file;
    // `def.handler` where def is a constant tool object: the function written in that object.
    if (ts.isPropertyAccessExpression(root)) {
      const owner = this.ev.evaluate(root.expression, env);
      const node = isRecord(owner) ? this.ev.propertyNodes.get(owner)?.get(root.name.text) : undefined;
      const file = node ? this.ev.files.get(node.getSourceFile().fileName) : undefined;
      if (node && file) {
        root = node;
        rootFile = file;
      }
    }
    if (ts.isIdentifier(root)) {
      const fn = this.ev.resolveFunction(root, rootFile === env.file ? env : this.ev.env(rootFile));
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
    const delegate = fn ? this.#delegateOf(fn, env) : null;
    if (delegate && size <= MAX_HANDLER_CODE) parts.push(safeFullText(delegate.fn, delegate.file));
    const text = parts.join("\n");
    const at = { path: rootFile.path, line: lineOf(root, rootFile.sourceFile) };
    return { text, params, at, ...(delegate ? { delegate: { path: delegate.file.path, line: lineOf(delegate.fn, delegate.file.sourceFile) } } : {}) };
  }

  /**
   * A handler that hands the tool's arguments on to the function of a registry entry, `toolDef.handler(ctx, args)`
   * in a loop over `Object.entries(tools)`: that function, resolved for this tool's entry.
   */
  #delegateOf(fn: ts.SignatureDeclaration, env: EvalEnv): { fn: ts.Node; file: ParsedJs } | null {
    const names = new Set(fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : "")).filter(Boolean));
    if (names.size === 0) return null;
    let found: { fn: ts.Node; file: ParsedJs } | null = null;
    walk(fn, (n) => {
      if (found) return false;
      if (!ts.isCallExpression(n) || !ts.isPropertyAccessExpression(n.expression)) return undefined;
      if (!n.arguments.some((a) => ts.isIdentifier(unwrap(a)) && names.has((unwrap(a) as ts.Identifier).text))) return undefined;
      const owner = this.ev.evaluate(n.expression.expression, env);
      const node = isRecord(owner) ? this.ev.propertyNodes.get(owner)?.get(n.expression.name.text) : undefined;
      const file = node ? this.ev.files.get(node.getSourceFile().fileName) : undefined;
      if (!node || !file) return undefined;
      if (ts.isFunctionLike(node)) found = { fn: node, file };
      else if (ts.isIdentifier(node)) found = this.ev.resolveFunction(node, this.ev.env(file));
      return undefined;
    });
    return found;
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
    env: EvalEnv,
    at: ts.Node | null,
  ): void {
    const uriInner = unwrap(uriNode);
    const uriValue =
      ts.isNewExpression(uriInner) && uriInner.arguments?.[0]
        ? this.ev.evaluate(uriInner.arguments[0], env)
        : this.ev.evaluate(uriNode, env);
    const config = configNode && !isHandlerLike(configNode) ? this.ev.evaluate(configNode, env) : undefined;
    const resource = this.#resource(at ?? call, uriValue, isRecord(config) ? config : {});
    resource.name = stringOrNull(
      this.ev.evaluate(call.arguments[call.expression.getText(this.file.sourceFile).endsWith("registerAppResource") ? 1 : 0]!, env),
    );
    if (handler) {
      walk(handler, (n) => {
        if (!ts.isObjectLiteralExpression(n)) return undefined;
        this.#claimedObjects.add(n);
        const value = this.ev.evaluate(n, env);
        if (isRecord(value) && (value.mimeType !== undefined || value.text !== undefined || value._meta !== undefined)) {
          mergeFragment(resource, value);
          this.#noteDomainAt(resource, value._meta);
        }
        return undefined;
      });
    }
    this.resources.push(resource);
  }

  /** An object literal with a `ui://` uri anywhere (low-level resource lists, read handlers). */
  #readResourceFragment(obj: ts.ObjectLiteralExpression): void {
    const uriKey = obj.properties.find(
      (p) => p.name && ts.isIdentifier(p.name) && (p.name.text === "uri" || p.name.text === "uriTemplate"),
    );
    if (!uriKey) return;
    this.ev.resetBudget();
    // Built inside `widgets.map((w) => ({ uri: w.uri, … }))` or a loop: one resource per constant item.
    this.#withLoops(obj, (env, _loop, at) => {
      const value = this.ev.evaluate(obj, env);
      const uri = isRecord(value) ? (value.uri ?? value.uriTemplate) : undefined;
      if (!isRecord(value) || typeof uri !== "string" || !uri.startsWith("ui://")) return;
      if (value.mimeType === undefined && value._meta === undefined && value.text === undefined) return;
      const resource = this.#resource(at ?? obj, uri, {});
      resource.name = stringOrNull(value.name);
      mergeFragment(resource, value);
      this.#noteDomainAt(resource, value._meta);
      this.resources.push(resource);
    });
  }

  #resource(node: ts.Node, uri: StaticValue | undefined, config: Record<string, StaticValue>): WidgetResource {
    const dyn: string[] = [];
    if (typeof uri !== "string") dyn.push("uri");
    if (config._meta !== undefined) dynamicPaths(config._meta, "_meta", dyn);
    const meta = recordOrNull(config._meta);
    const resource: WidgetResource = {
      uri: typeof uri === "string" ? uri : `{${isDynamic(uri) ? uri.$dynamic : "uri"}}`,
      name: null,
      mimeType: stringOrNull(config.mimeType),
      meta,
      html: null,
      location: locationOf(node),
      dynamic: dyn,
    };
    this.#noteDomainAt(resource, config._meta);
    return resource;
  }

  /** Where `openai/widgetDomain` is written (a helper's object, a conditional spread inside it), the first place found. */
  #noteDomainAt(resource: WidgetResource, meta: StaticValue | undefined): void {
    const node = isRecord(meta) ? this.ev.propertyNodes.get(meta)?.get("openai/widgetDomain") : undefined;
    if (node && !resource.domainAt) resource.domainAt = locationOf(node);
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

/** The handler written in a tool's own object literal (`{ name, …, handler: async () => … }`), when the list maps it away. */
function handlerInObject(node: ts.Node): ts.Node | undefined {
  if (!ts.isObjectLiteralExpression(node)) return undefined;
  for (const p of node.properties) {
    const key = p.name ? propertyNameText(p.name) : null;
    if (!key || !HANDLER_KEYS.has(key)) continue;
    if (ts.isPropertyAssignment(p)) return p.initializer;
    if (ts.isMethodDeclaration(p)) return p;
  }
  return undefined;
}

/** The input schema written in a tool's own definition object. */
function schemaInObject(node: ts.Node): ts.Expression | undefined {
  if (!ts.isObjectLiteralExpression(node)) return undefined;
  for (const p of node.properties) {
    const key = p.name ? propertyNameText(p.name) : null;
    if (key && /^(?:inputSchema|input_schema|schema|parameters|paramsSchema)$/.test(key) && ts.isPropertyAssignment(p))
      return p.initializer;
  }
  return undefined;
}

/** The code that answers a JSON-RPC "tools/list" request, from the literal that names the method. */
function jsonRpcBranch(literal: ts.StringLiteralLike): ts.Node | null {
  const parent = literal.parent;
  if (ts.isCaseClause(parent) && parent.expression === literal) {
    // case "tools/list": with no statements falls through to the next clause.
    const clauses = parent.parent.clauses;
    for (let i = clauses.indexOf(parent); i < clauses.length; i++) if (clauses[i]!.statements.length > 0) return clauses[i]!;
    return null;
  }
  if (ts.isPropertyAssignment(parent) && parent.name === literal) return parent.initializer;
  if (ts.isComputedPropertyName(parent) && ts.isPropertyAssignment(parent.parent)) return parent.parent.initializer;
  if (ts.isMethodDeclaration(parent) && parent.name === literal) return parent.body ?? null;
  if (ts.isCallExpression(parent) && parent.arguments[0] === literal && parent.arguments[1]) {
    const name = ts.isPropertyAccessExpression(parent.expression) ? parent.expression.name.text : null;
    return name && /^(?:on|handle|method|register|addMethod|setHandler|setRequestHandler)$/.test(name) ? parent.arguments[1] : null;
  }
  // method === "tools/list" in an if condition or a ternary (possibly inside && / ||).
  let n: ts.Node = literal;
  if (!ts.isBinaryExpression(parent) || !isEquality(parent.operatorToken.kind)) return null;
  n = parent;
  while (
    n.parent &&
    (ts.isParenthesizedExpression(n.parent) ||
      (ts.isBinaryExpression(n.parent) &&
        (n.parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken ||
          n.parent.operatorToken.kind === ts.SyntaxKind.BarBarToken)))
  )
    n = n.parent;
  if (ts.isIfStatement(n.parent) && n.parent.expression === n) return n.parent.thenStatement;
  if (ts.isConditionalExpression(n.parent) && n.parent.condition === n) return n.parent.whenTrue;
  return null;
}

function isEquality(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.EqualsEqualsEqualsToken || kind === ts.SyntaxKind.EqualsEqualsToken;
}

function propertyNameText(name: ts.PropertyName): string | null {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : null;
}

/**
 * Whether served code can reach the function around a node: a named function that nothing in served files calls or
 * mentions (only tests do) is dead; code in callbacks and at the top of a module is live.
 */
function isLive(node: ts.Node, calls: CallIndex): boolean {
  const helper = enclosingHelper(node);
  if (!helper) return true;
  const pattern = new RegExp(`(?<![\\w$])${helper.name.replace(/[$]/g, "\\$")}(?![\\w$])`, "g");
  let mentions = 0;
  for (const p of calls.paths) mentions += calls.files.text(p)?.match(pattern)?.length ?? 0;
  return mentions > 1;
}

/** The class whose method (or getter, or constructor) a node sits in, past loop callbacks. */
function enclosingClassMember(node: ts.Node): ts.ClassDeclaration | null {
  for (let n = node.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if ((ts.isMethodDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isConstructorDeclaration(n)) && ts.isClassDeclaration(n.parent))
      return n.parent;
    if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n)) return null;
  }
  return null;
}

function isAbstract(cls: ts.ClassDeclaration): boolean {
  return !!ts.getModifiers(cls)?.some((m) => m.kind === ts.SyntaxKind.AbstractKeyword);
}

/** Where a node is: its own file (an item of an imported list lives in the module that declares it). */
function locationOf(node: ts.Node): { path: string; line: number } {
  const sf = node.getSourceFile();
  return { path: sf.fileName, line: lineOf(node, sf) };
}

/**
 * The named function a node sits in, past loop callbacks (`xs.forEach((x) => …)`): a function declaration, a method,
 * or a function assigned to a const. Null for other callbacks (an mcp-handler setup function, a route handler).
 */
function enclosingHelper(node: ts.Node): Helper | null {
  for (let n = node.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if (ts.isFunctionDeclaration(n)) return n.name && n.body && n.parameters.length > 0 ? { fn: n, name: n.name.text } : null;
    if (ts.isMethodDeclaration(n)) return ts.isIdentifier(n.name) && n.parameters.length > 0 ? { fn: n, name: n.name.text } : null;
    if (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) {
      const call = n.parent;
      if (
        ts.isCallExpression(call) &&
        call.arguments[0] === n &&
        ts.isPropertyAccessExpression(call.expression) &&
        ["forEach", "map", "flatMap"].includes(call.expression.name.text)
      )
        continue;
      const decl = n.parent;
      if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) && n.parameters.length > 0) return { fn: n, name: decl.name.text };
      return null;
    }
  }
  return null;
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
