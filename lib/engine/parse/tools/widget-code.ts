// The hosts a widget's code contacts, loads from or frames: fetch/XHR/WebSocket/EventSource calls, script, style,
// image, font and frame references in JSX, HTML and CSS. Compared with the widget CSP by the widget-csp check.
import path from "node:path";
import { calleeName, lineOf, ts, walk, type ParsedJs } from "../js";
import { lineAt, lineStarts } from "../../text";
import type { Snapshot } from "../../snapshot";
import { JsEvaluator, ModuleAliases, NO_ALIASES, safeText } from "./js-eval";
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

export function isWidgetCodePath(p: string, text: string): boolean {
  const segments = p.split("/").slice(0, -1);
  return segments.some((s) => WIDGET_FOLDERS.has(s.toLowerCase())) || WIDGET_MARKERS.test(text);
}

export function widgetHostUses(
  snapshot: Snapshot,
  jsFiles: ReadonlyMap<string, ParsedJs>,
  resources: readonly WidgetResource[],
  aliases: ModuleAliases = NO_ALIASES,
): WidgetHostUse[] {
  const uses: WidgetHostUse[] = [];
  const ev = new JsEvaluator(jsFiles, aliases);
  const widgetJs = new Set<string>();
  for (const f of jsFiles.values()) if (isWidgetCodePath(f.path, f.text)) widgetJs.add(f.path);
  // Modules the widget entry files import (one level), e.g. an api.ts next to the component.
  for (const p of [...widgetJs]) {
    const f = jsFiles.get(p)!;
    for (const st of f.sourceFile.statements) {
      if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || !st.moduleSpecifier.text.startsWith(".")) continue;
      const base = path.posix.normalize(path.posix.join(path.posix.dirname(p), st.moduleSpecifier.text)).replace(/\.(?:js|jsx|mjs)$/, "");
      for (const ext of [".ts", ".tsx", ".js", ".jsx", ".mjs", "/index.ts", "/index.tsx", "/index.js"])
        if (jsFiles.has(base + ext)) widgetJs.add(base + ext);
    }
  }
  let count = 0;
  for (const p of widgetJs) {
    if (++count > MAX_FILES) break;
    ev.resetBudget();
    uses.push(...jsHostUses(jsFiles.get(p)!, ev));
  }
  for (const p of snapshot.find((q) => /\.(?:html?|css)$/i.test(q))) {
    const text = snapshot.text(p);
    if (text === null || !isWidgetCodePath(p, text)) continue;
    uses.push(...markupHostUses(text, p, 1, p.toLowerCase().endsWith(".css")));
  }
  for (const r of resources) {
    if (!r.html) continue;
    for (const use of markupHostUses(r.html, r.location.path, r.location.line, false, true)) {
      // Point at the file that holds the URL (often a separate widget-html module), not the registration.
      const holder = [...jsFiles.values()].find((f) => f.text.includes(use.url));
      if (holder) use.location = { path: holder.path, line: lineAt(lineStarts(holder.text), holder.text.indexOf(use.url)) };
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
