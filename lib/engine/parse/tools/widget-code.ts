// The hosts a widget's code contacts, loads from or frames: fetch/XHR/WebSocket/EventSource calls, script, style,
// image, font and frame references in JSX, HTML and CSS. Compared with the widget CSP by the widget-csp check.
import path from "node:path";
import { calleeName, lineOf, ts, walk, type JsSources, type ParsedJs } from "../js";
import { lineAt, lineStarts } from "../../text";
import type { Snapshot } from "../../snapshot";
import { JsEvaluator, ModuleAliases, NO_ALIASES, resolveJsModule, safeText } from "./js-eval";
import { pathRole } from "../../facts/roles";
import type { WidgetHostUse, WidgetResource } from "./types";
import { isDynamic } from "./values";

const WIDGET_MARKERS =
  /window\.openai|openai:set_globals|useOpenAiGlobal|useWidgetState|useWidgetProps|@modelcontextprotocol\/ext-apps["'/](?!server)/;
const WIDGET_FOLDERS = new Set(["web", "widget", "widgets", "webview"]);
const URL_START = /^(https?|wss?):\/\/([^/?#\s'"`<>\\]{1,253})/i;
// Bounded: tag name, up to 500 attribute characters, then src/href.
const HTML_REF =
  /<(script|img|iframe|frame|link|source|video|audio|embed|object)\b[^>]{0,500}?\s(?:src|href|data)\s{0,3}=\s{0,3}["']((?:https?:|wss?:)?\/\/[^"'\s>]{1,500})["']/gi;
const CSS_URL = /(?:url\(\s{0,3}["']?|@import\s{1,3}["'])((?:https?:)?\/\/[^"')\s]{1,500})/gi;
const MAX_FILES = 2000;

/** MCP Apps spoken by hand: JSON-RPC `ui/…` messages to the host over postMessage. */
const MCP_APPS_BY_HAND =
  /["'`]ui\/(?:initialize|notifications\/[\w-]{1,40}|message|open-link|request-display-mode|update-model-context|size-changed)["'`]/;
const POST_MESSAGE = /\bpostMessage\s*\(/;
/** Code that declares a server, never widget code however it is reached. */
const SERVER_CODE =
  /registerTool|registerAppTool|registerResource|setRequestHandler|\bMcpServer\b|\bFastMCP\b|createMcpHandler|@\w+\.tool\b/;
const WIDGET_SOURCE = /\.(?:[cm]?[jt]sx?|html?|css|vue|svelte)$/i;
/** Folder names too common to say which widget a path literal means on their own. */
const GENERIC_FOLDERS = new Set([
  "src",
  "lib",
  "app",
  "dist",
  "build",
  "out",
  "public",
  "assets",
  "static",
  "web",
  "www",
  "ui",
  "components",
  "templates",
  "views",
  "pages",
  "node_modules",
  "index.html",
]);
const BUILD_FOLDERS = /\/(?:dist|build|out|public|assets|static)$/;
const NOT_WIDGET_ROLES = new Set(["test", "fixture", "docs", "example", "vendored", "script", "generated"]);

export function isWidgetCodePath(p: string, text: string): boolean {
  const segments = p.split("/").slice(0, -1);
  return (
    segments.some((s) => WIDGET_FOLDERS.has(s.toLowerCase())) ||
    WIDGET_MARKERS.test(text) ||
    (POST_MESSAGE.test(text) && MCP_APPS_BY_HAND.test(text))
  );
}

/**
 * The files that make up widget code: those whose folder or content says so (window.openai, the MCP Apps client, MCP
 * Apps `ui/*` messages over postMessage), the HTML and assets the widget resources reference, the widget projects the
 * resource-serving code reads its HTML from (`web/dist/index.html`, `readWidgetHtml("board")` with a `board/` folder),
 * and the modules those import. Server code, tests and examples are never widget code.
 */
export function widgetCodeFiles(
  snapshot: Snapshot,
  jsFiles: JsSources,
  resources: readonly WidgetResource[],
  aliases: ModuleAliases = NO_ALIASES,
): Set<string> {
  const all = snapshot.find((p) => WIDGET_SOURCE.test(p) && !p.split("/").includes("node_modules"));
  const role = (p: string) => pathRole(p)?.role;
  const textOf = (p: string) => jsFiles.text(p) ?? snapshot.text(p) ?? "";
  const isServer = (p: string) => SERVER_CODE.test(textOf(p));
  const out = new Set<string>();
  const add = (p: string) => {
    if (out.size >= MAX_FILES || out.has(p) || NOT_WIDGET_ROLES.has(role(p) ?? "") || !WIDGET_SOURCE.test(p) || isServer(p)) return;
    out.add(p);
  };
  for (const p of all) if (isWidgetCodePath(p, textOf(p))) add(p);
  // What the resources' HTML loads from the connector itself (`<script src="/assets/widget.js">`).
  for (const r of resources) for (const ref of r.html ? localReferences(r.html) : []) for (const p of bySuffix(all, ref)) add(p);
  // Widget projects named by the code that serves the resources.
  const declaring = new Set(resources.map((r) => r.location.path));
  const segments = new Set(all.flatMap((p) => p.split("/")));
  for (const file of declaring) {
    for (const literal of pathLiterals(textOf(file))) {
      const last = literal.split("/").pop() ?? "";
      if (!segments.has(last)) continue;
      for (const root of projectRoots(all, literal)) {
        const files = all.filter((p) => p.startsWith(`${root}/`));
        // A widget project: a page, components, or code that talks to the host; and no server code in it.
        const looksLikeWidget = files.some((p) => /\.(?:html?|[jt]sx|vue|svelte)$/i.test(p) || isWidgetCodePath(p, textOf(p)));
        if (!looksLikeWidget || files.some((p) => declaring.has(p) || (/\.(?:[cm]?[jt]sx?|py)$/.test(p) && isServer(p)))) continue;
        for (const p of files) add(p);
      }
    }
  }
  // HTML pages reached so far load their scripts and styles; modules import modules.
  const queue = [...out];
  while (queue.length > 0 && out.size < MAX_FILES) {
    const p = queue.shift()!;
    const targets: string[] = [];
    if (/\.html?$/i.test(p)) {
      const dir = path.posix.dirname(p);
      for (const ref of localReferences(textOf(p))) {
        const local = path.posix.normalize(ref.startsWith("/") ? `${dir}/${ref.slice(1)}` : `${dir}/${ref}`);
        targets.push(...(all.includes(local) ? [local] : bySuffix(all, ref)));
      }
    } else {
      for (const spec of jsFiles.importsOf(p)) {
        const target = resolveJsModule(jsFiles.pathLookup, p, spec, aliases);
        if (target) targets.push(target);
      }
    }
    for (const t of targets) {
      if (out.has(t)) continue;
      add(t);
      if (out.has(t)) queue.push(t);
    }
  }
  return out;
}

/** Local scripts, styles and module entries an HTML page loads (not http(s) URLs). */
function localReferences(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<(?:script|link)\b[^>]{0,500}?\s(?:src|href)\s{0,3}=\s{0,3}["']([^"'\s>]{1,300})["']/gi)) {
    const ref = m[1]!.replace(/[?#].*$/, "").replace(/^\{[^}]{0,100}\}/, "");
    if (/^(?:[a-z]+:)?\/\//i.test(ref) || !/\.(?:[cm]?[jt]sx?|css)$/i.test(ref)) continue;
    out.push(ref);
  }
  return out;
}

/** Snapshot files whose path ends with a reference (`/assets/widget.js` → `web/dist/assets/widget.js`). */
function bySuffix(all: readonly string[], ref: string): string[] {
  const tail = ref.replace(/^(?:\.{1,2}\/)+|^\//g, "");
  if (!tail || (!tail.includes("/") && GENERIC_FOLDERS.has(tail))) return [];
  return all.filter((p) => p === tail || p.endsWith(`/${tail}`));
}

/** String literals that look like relative paths or folder names. */
function pathLiterals(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/["'`]((?:\.{0,2}\/)?[\w@-][\w@.-]{0,80}(?:\/[\w@.-]{1,80}){0,8}\/?)["'`]/g)) {
    const literal = m[1]!.replace(/^(?:\.{1,2}\/)+/, "").replace(/\/$/, "");
    if (literal && !/^\d/.test(literal) && !literal.includes("://")) out.add(literal);
  }
  return [...out].slice(0, 2000);
}

/**
 * The widget project folders a path literal names: a folder (or file) in the snapshot whose path contains the literal
 * on segment boundaries, with build-output folders (dist, build, …) stepped out of.
 */
function projectRoots(all: readonly string[], literal: string): string[] {
  const segments = literal.split("/").filter((s) => s !== "." && s !== "..");
  if (segments.length === 0) return [];
  if (segments.every((s) => GENERIC_FOLDERS.has(s.toLowerCase()) || /^index\.\w+$/.test(s))) return [];
  const needle = segments.join("/");
  const roots = new Set<string>();
  for (const p of all) {
    const at = `/${p}`.indexOf(`/${needle}`);
    if (at < 0) continue;
    const end = at + needle.length;
    const after = p.slice(end, end + 1);
    if (after !== "" && after !== "/" && after !== ".") continue;
    // A file literal (index.html) names its folder; a folder literal names itself.
    let root = p.slice(0, end).replace(/\/[^/]*\.[a-z0-9]+$/i, "");
    if (/\.[a-z0-9]+$/i.test(root) && !root.includes("/")) continue;
    while (BUILD_FOLDERS.test(root)) root = root.replace(BUILD_FOLDERS, "");
    if (root && !GENERIC_FOLDERS.has(root.toLowerCase())) roots.add(root);
    if (roots.size > 5) break;
  }
  return [...roots];
}

export function widgetHostUses(
  snapshot: Snapshot,
  jsFiles: JsSources,
  resources: readonly WidgetResource[],
  aliases: ModuleAliases = NO_ALIASES,
): WidgetHostUse[] {
  const uses: WidgetHostUse[] = [];
  const ev = new JsEvaluator(jsFiles, aliases);
  const widgetFiles = widgetCodeFiles(snapshot, jsFiles, resources, aliases);
  for (const p of widgetFiles) {
    const f = jsFiles.get(p);
    if (f) {
      ev.resetBudget();
      uses.push(...jsHostUses(f, ev));
      continue;
    }
    if (!/\.(?:html?|css)$/i.test(p)) continue;
    const text = snapshot.text(p);
    if (text !== null) uses.push(...markupHostUses(text, p, 1, p.toLowerCase().endsWith(".css")));
  }
  for (const r of resources) {
    if (!r.html) continue;
    for (const use of markupHostUses(r.html, r.location.path, r.location.line, false, true)) {
      // Point at the file that holds the URL (often a separate widget-html module), not the registration.
      const holder = jsFiles.paths().find((p) => jsFiles.text(p)?.includes(use.url));
      const text = holder === undefined ? undefined : jsFiles.text(holder);
      if (holder !== undefined && text !== undefined)
        use.location = { path: holder, line: lineAt(lineStarts(text), text.indexOf(use.url)) };
      uses.push(use);
    }
  }
  const seen = new Set<string>();
  return uses.filter((u) => {
    const key = `${u.kind}|${u.host}|${u.location.path}|${u.location.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function jsHostUses(file: ParsedJs, ev: JsEvaluator): WidgetHostUse[] {
  const out: WidgetHostUse[] = [];
  const env = ev.env(file);
  const add = (node: ts.Node, urlNode: ts.Expression | undefined, kind: WidgetHostUse["kind"], how: string) => {
    if (!urlNode) return;
    const url = staticPrefix(urlNode, ev, env);
    const use = url ? hostUse(url, kind, how, { path: file.path, line: lineOf(node, file.sourceFile) }) : null;
    if (use) out.push(use);
  };
  walk(file.sourceFile, (n) => {
    if (ts.isCallExpression(n)) {
      const name = calleeName(n.expression) ?? "";
      if (name === "fetch" || name === "window.fetch" || name === "globalThis.fetch") add(n, n.arguments[0], "connect", "fetch");
      else if (/^axios(?:\.(?:get|post|put|patch|delete|request|head))?$/.test(name)) add(n, n.arguments[0], "connect", name);
      else if (name === "navigator.sendBeacon") add(n, n.arguments[0], "connect", "sendBeacon");
      else if (
        /\.open$/.test(name) &&
        n.arguments.length >= 2 &&
        ts.isStringLiteralLike(n.arguments[0]!) &&
        /^[A-Z]+$/.test(n.arguments[0].text)
      )
        add(n, n.arguments[1], "connect", "XMLHttpRequest");
      else if (n.expression.kind === ts.SyntaxKind.ImportKeyword) add(n, n.arguments[0], "resource", "import()");
    } else if (ts.isNewExpression(n) && ts.isIdentifier(n.expression)) {
      if (n.expression.text === "WebSocket" || n.expression.text === "EventSource") add(n, n.arguments?.[0], "connect", n.expression.text);
      if (n.expression.text === "Worker") add(n, n.arguments?.[0], "resource", "Worker");
    } else if (ts.isJsxAttribute(n) && ts.isIdentifier(n.name) && (n.name.text === "src" || n.name.text === "href")) {
      const tag = jsxTagName(n);
      const kind =
        tag === "iframe" || tag === "frame"
          ? "frame"
          : tag && ["img", "script", "source", "video", "audio", "embed"].includes(tag)
            ? "resource"
            : tag === "link" && n.name.text === "href"
              ? "resource"
              : null;
      const init = n.initializer;
      const expr = init && ts.isJsxExpression(init) ? init.expression : init && ts.isStringLiteral(init) ? init : undefined;
      if (kind && expr) add(n, expr, kind, `<${tag} ${n.name.text}>`);
    } else if (
      ts.isBinaryExpression(n) &&
      n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(n.left) &&
      n.left.name.text === "src"
    ) {
      add(n, n.right, "resource", ".src =");
    } else if (
      (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) &&
      /<(?:script|img|iframe|link)\b|url\(|@import/i.test(n.text)
    ) {
      out.push(...markupHostUses(n.text, file.path, lineOf(n, file.sourceFile), false, true));
    }
    return undefined;
  });
  return out;
}

function markupHostUses(text: string, p: string, baseLine: number, cssOnly: boolean, sameLine = false): WidgetHostUse[] {
  const out: WidgetHostUse[] = [];
  let starts: number[] | undefined;
  const lineFor = (i: number) => (sameLine ? baseLine : baseLine - 1 + lineAt((starts ??= lineStarts(text)), i));
  if (!cssOnly) {
    for (const m of text.matchAll(HTML_REF)) {
      const tag = m[1]!.toLowerCase();
      const kind = tag === "iframe" || tag === "frame" || tag === "object" || tag === "embed" ? "frame" : "resource";
      const use = hostUse(m[2]!, kind, `<${tag}>`, { path: p, line: lineFor(m.index ?? 0) });
      if (use) out.push(use);
    }
  }
  for (const m of text.matchAll(CSS_URL)) {
    const use = hostUse(m[1]!, "resource", "CSS url()", { path: p, line: lineFor(m.index ?? 0) });
    if (use) out.push(use);
  }
  return out;
}

export function hostUse(url: string, kind: WidgetHostUse["kind"], how: string, location: WidgetHostUse["location"]): WidgetHostUse | null {
  const normalized = url.startsWith("//") ? `https:${url}` : url;
  const m = URL_START.exec(normalized);
  if (!m) return null;
  const host = m[2]!
    .replace(/^.*@/, "")
    .replace(/:\d{1,5}$/, "")
    .toLowerCase();
  if (!host || host === "localhost" || host === "127.0.0.1" || host.includes("${")) return null;
  return { host, scheme: m[1]!.toLowerCase(), url: url.slice(0, 300), kind, how, location };
}

/** The known leading part of a URL expression: enough to see its origin even when the path is dynamic. */
function staticPrefix(node: ts.Expression, ev: JsEvaluator, env: ReturnType<JsEvaluator["env"]>): string | null {
  const v = ev.evaluate(node, env);
  if (typeof v === "string") return v;
  if (ts.isTemplateExpression(node)) {
    const head = node.head.text;
    if (head) return head;
    const first = node.templateSpans[0];
    if (first) {
      const base = ev.evaluate(first.expression, env);
      if (typeof base === "string") return base + first.literal.text;
    }
    return null;
  }
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return staticPrefix(node.left, ev, env);
  if (ts.isCallExpression(node) && node.arguments[0] && /^(?:new URL|String)$/.test(safeText(node.expression, env.file)))
    return staticPrefix(node.arguments[0], ev, env);
  if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "URL" && node.arguments?.[0]) {
    const rel = ev.evaluate(node.arguments[0], env);
    const base = node.arguments[1] ? ev.evaluate(node.arguments[1], env) : undefined;
    if (typeof base === "string") return base;
    if (typeof rel === "string") return rel;
  }
  return isDynamic(v) ? null : null;
}

function jsxTagName(attr: ts.JsxAttribute): string | null {
  const owner = attr.parent?.parent;
  if (owner && (ts.isJsxOpeningElement(owner) || ts.isJsxSelfClosingElement(owner)) && ts.isIdentifier(owner.tagName))
    return owner.tagName.text.toLowerCase();
  return null;
}
