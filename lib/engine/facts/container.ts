// Facts parsed from the snapshot once per scan and shared by every check ("parse once, judge many times").
// `prepare()` parses every source file and reads the code facts and the tool manifest; everything else is derived
// from those on first use, once.
import type { SinkFact } from "@/lib/core/facts";
import { isJsSource, JsSources, maskHtmlScripts, parseJs } from "../parse/js";
import { manifests, type Manifest } from "../parse/manifests";
import { pythonFiles } from "../parse/python";
import { INTERESTING } from "../parse/tools/js-tools";
import { toolManifest } from "../parse/tools/manifest";
import type { ToolDecl, ToolManifest } from "../parse/tools/types";
import type { Snapshot } from "../snapshot";
import { EventLoopTurns } from "../event-loop-turns";
import { FactsBuilder } from "./builder";
import { findDangerSinks, type DangerSink } from "./danger-sinks";
import { findDangerFlows, type DangerFlow } from "./data-flows";
import { Guards } from "./guards";
import { TaintTracer } from "./taint";
import { CodeFacts } from "./code";
import { Flow } from "./flow";
import { extractJs } from "./js";
import { extractPython } from "./py";
import { findOutbound, findResponses, findRoutes, type OutboundCall, type ResponseFact, type Route } from "./http";
import { loggerSetups, type LoggerSetup } from "./logs";
import { assignRoles } from "./roles";
import { SettingIndex, type SettingFact } from "./settings";
import { requestsByFunction, toolBehaviour, type ToolBehaviour } from "./tool-behaviour";
import { findUpdateBots, findWorkflows, type UpdateBotsFact, type WorkflowFact } from "./workflows";
import { findToolOutputs, toolArgumentParams, toolFunctions, type ToolOutput } from "./tool-data";

export class Facts {
  readonly #cache = new Map<string, unknown>();
  readonly #disposers: Array<() => void> = [];
  #code: CodeFacts | null = null;
  #tools: ToolManifest | null = null;

  /**
   * `pace` is called between files while parsing and may block for a moment (the engine's yield point: see
   * ScanOptions.pace).
   */
  constructor(
    readonly snapshot: Snapshot,
    readonly options: { pace?: () => void } = {},
  ) {}

  /** Parses every source file and reads the code facts and the tool manifest. Idempotent. */
  async prepare(): Promise<this> {
    if (this.#code && this.#tools) return this;
    const builder = new FactsBuilder();
    // Each file is parsed, read for facts, and its tree let go unless the tool manifest will read it: a large
    // repository's trees never sit in the heap together, which saves most of the collector's work while parsing.
    const js = new JsSources();
    const turns = new EventLoopTurns();
    for (const p of this.snapshot.find(isJsSource)) {
      this.pace();
      if (turns.due()) await turns.turn();
      const text = this.snapshot.text(p);
      if (text === null) continue;
      // A tree that is let go is only walked from the top, so it needs no parent links (the parser's dearest part).
      const keep = INTERESTING.test(text);
      const r = parseJs(p, text, { parents: keep });
      if (r.ok) builder.data.files.push(extractJs(builder, p, r.sourceFile));
      else builder.data.files.push(unparseableFile(p, "js", r.reason));
      js.add(r, keep);
    }
    this.#cache.set("parse:js", js);
    for (const p of this.snapshot.findByExtension(".html", ".htm")) {
      const masked = maskHtmlScripts(this.snapshot.text(p) ?? "");
      if (masked === null) continue;
      const parsed = parseJs(`${p}.js`, masked);
      if (parsed.ok) builder.data.files.push({ ...extractJs(builder, p, parsed.sourceFile), path: p });
    }
    for (const [p, r] of await pythonFiles(this)) {
      this.pace();
      if (r.ok) builder.data.files.push(extractPython(builder, p, r.tree.rootNode, r.text));
      else builder.data.files.push(unparseableFile(p, "py", r.reason));
    }
    const code = new CodeFacts(builder.finish(), { pace: this.pace });
    assignRoles(code, (p) => this.snapshot.text(p));
    this.#code = code;
    this.#tools = await toolManifest(this);
    // Only extraction and the tool manifest read TypeScript syntax trees; checks read facts. Letting the trees go here
    // frees most of a large scan's heap before the checks run, so every later collection has less to mark.
    this.#cache.delete("parse:js");
    return this;
  }

  /**
   * The engine's yield point (ScanOptions.pace): long loops over files or tools call it between items. A bound
   * function, so the steps that take it as an option are handed `this.pace` itself.
   */
  readonly pace = (): void => {
    this.options.pace?.();
  };

  get code(): CodeFacts {
    if (!this.#code) throw new Error("Facts.prepare() must run before the code facts are read.");
    return this.#code;
  }

  get tools(): ToolManifest {
    if (!this.#tools) throw new Error("Facts.prepare() must run before the tool manifest is read.");
    return this.#tools;
  }

  get routes(): readonly Route[] {
    return this.memo("facts:routes", (snapshot) => findRoutes(this.code, snapshot));
  }

  get responses(): readonly ResponseFact[] {
    return this.memo("facts:responses", () => findResponses(this.code));
  }

  get outbound(): readonly OutboundCall[] {
    return this.memo("facts:outbound", () => findOutbound(this.code));
  }

  /**
   * Settings written in code (object entries, keyword arguments and member assignments, both languages alike) whose
   * key `may` accepts, in code order. `may` is asked once per distinct key, and only the settings
   * it accepts are built: a large repository has tens of thousands of object entries and a few hundred keys.
   */
  settingsWhere(may: (key: string) => boolean): readonly SettingFact[] {
    return this.#settingIndex().where(may);
  }

  #settingIndex(): SettingIndex {
    return this.memo("facts:setting-index", () => new SettingIndex(this.code));
  }

  get loggerSetups(): readonly LoggerSetup[] {
    return this.memo("facts:logger-setups", (snapshot) => loggerSetups(this.code, (p) => snapshot.text(p)));
  }

  /** Declared dependencies per manifest (package.json, pyproject.toml, requirements files), shallowest first. */
  get manifests(): readonly Manifest[] {
    return manifests(this);
  }

  /** GitHub Actions workflows: triggers, token permissions, jobs, steps. */
  get workflows(): readonly WorkflowFact[] {
    return this.memo("facts:workflows", (snapshot) => findWorkflows(snapshot));
  }

  /** Dependabot and Renovate configurations. */
  get updateBots(): UpdateBotsFact {
    return this.memo("facts:update-bots", (snapshot) => findUpdateBots(snapshot, this.manifests));
  }

  /** Values that become a tool's structured output or `_meta`, both languages alike. */
  get toolOutputs(): readonly ToolOutput[] {
    return this.memo("facts:tool-outputs", (snapshot) => findToolOutputs(this.code, (p) => snapshot.text(p)));
  }

  /** In low-level `call_tool` dispatchers: the parameter holding each call's arguments, by function. */
  get toolArgumentParams(): ReadonlyMap<number, number> {
    return this.memo("facts:tool-argument-params", () => toolArgumentParams(this.code));
  }

  /** Data flow: origins of values, with tool handlers and route handlers as entry points. */
  get flow(): Flow {
    return this.memo(
      "facts:flow",
      () =>
        new Flow(
          this.code,
          { toolHandlers: this.#toolHandlers(), routes: this.routes, toolArguments: this.toolArgumentParams },
          { pace: this.pace },
        ),
    );
  }

  /** Every place data reaches a sink, through helpers too. */
  get sinks(): readonly SinkFact[] {
    return this.memo("facts:sinks", () => this.flow.sinks({ outbound: this.outbound, responses: this.responses }));
  }

  /** Dangerous sinks with the parts that matter: URL hosts and paths, file paths, commands, SQL holes, redirect targets. */
  get dangerSinks(): readonly DangerSink[] {
    return this.memo("facts:danger-sinks", () => findDangerSinks(this.code, this.outbound, this.responses, (p) => this.snapshot.text(p)));
  }

  /** Tool inputs and request data reaching a dangerous sink, each with the way it went and any check that doesn't hold. */
  get dangerFlows(): readonly DangerFlow[] {
    return this.memo("facts:danger-flows", () => {
      const outboundCalls = new Set(this.outbound.filter((o) => o.kind === "request").map((o) => o.call.id));
      const tracer = new TaintTracer(this.code, this.flow, outboundCalls);
      return findDangerFlows({
        code: this.code,
        sinks: this.dangerSinks,
        tracer,
        guards: this.guards,
        tools: this.tools.tools,
        pace: this.pace,
      });
    });
  }

  /** The checks code makes on a value before using it (allow-lists, containment, anchored patterns), and weak ones. */
  get guards(): Guards {
    return this.memo("facts:guards", () => new Guards(this.code, this.flow));
  }

  /**
   * A reason the code can't be judged, or null when it can: a parser that failed to start, or a repository whose
   * every source file is unreadable, makes the code checks "unavailable", never a clean "ok". Files skipped on
   * purpose (minified bundles, very large generated files) don't count.
   */
  get coverageProblem(): string | null {
    const files = this.code.files;
    const failure = files.find((f) => f.unparseable?.startsWith("parser error"));
    if (failure) return `the parser failed on ${failure.path} (${failure.unparseable})`;
    const sources = files.filter((f) => f.unparseable === null || !/^(?:minified|larger than)/.test(f.unparseable));
    if (sources.length > 0 && sources.every((f) => f.unparseable !== null)) {
      const first = sources[0]!;
      return `none of the ${sources.length} source files could be parsed (${first.path}: ${first.unparseable})`;
    }
    return null;
  }

  /** What each tool does (requests, writes, deletes, shell, user-chosen URLs), from its handler and the code it reaches. */
  get toolBehaviours(): ReadonlyMap<ToolDecl, ToolBehaviour> {
    return this.memo("facts:tool-behaviours", () => {
      const out = new Map<ToolDecl, ToolBehaviour>();
      const requests = requestsByFunction(this.outbound);
      for (const tool of this.tools.tools) {
        this.pace();
        out.set(tool, toolBehaviour(this.code, this.flow, this.outbound, this.handlerOf(tool), requests));
      }
      return out;
    });
  }

  /** A tool's handler function: the innermost function around where its handler starts. */
  handlerOf(tool: ToolDecl): number | null {
    return tool.handler ? this.#functionAt(tool.handler) : null;
  }

  /** The innermost function around a place. */
  #functionAt({ path, line }: { path: string; line: number }): number | null {
    let best: { id: number; line: number } | null = null;
    for (const f of this.code.functionsIn(path)) {
      if (f.isModule || f.line > line || f.endLine < line) continue;
      if (!best || f.line >= best.line) best = { id: f.id, line: f.line };
    }
    return best?.id ?? null;
  }

  /**
   * Tool handler functions, by the name of the tool each serves; functions registered by a `tool` decorator count
   * even when the listed manifest comes from elsewhere (a replaced list handler still dispatches to them).
   */
  #toolHandlers(): Map<number, string | null> {
    const out = new Map<number, string | null>();
    for (const tool of this.tools.tools) {
      const fn = this.handlerOf(tool);
      if (fn !== null) out.set(fn, tool.name);
      // The registry entry's function the handler hands the arguments to: its parameters are the tool's inputs too.
      const delegate = tool.handlerDelegate ? this.#functionAt(tool.handlerDelegate) : null;
      if (delegate !== null && !out.has(delegate)) out.set(delegate, tool.name);
    }
    for (const fn of toolFunctions(this.code)) if (!out.has(fn.id)) out.set(fn.id, fn.name);
    return out;
  }

  /** Computes a fact on first use and returns the same value (or promise) afterwards. */
  memo<T>(key: string, compute: (snapshot: Snapshot) => T): T {
    if (this.#cache.has(key)) return this.#cache.get(key) as T;
    const value = compute(this.snapshot);
    this.#cache.set(key, value);
    return value;
  }

  /** Registers cleanup for resources a fact holds outside the JS heap (tree-sitter trees live in WebAssembly memory). */
  onDispose(fn: () => void): void {
    this.#disposers.push(fn);
  }

  dispose(): void {
    for (const fn of this.#disposers.splice(0)) fn();
    this.#cache.clear();
  }
}

function unparseableFile(path: string, language: "js" | "py", reason: string) {
  return { path, language, role: "server" as const, roleReason: "", unparseable: reason, module: null, directives: [], exports: {} };
}
