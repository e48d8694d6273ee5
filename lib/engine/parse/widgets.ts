// Which files are widget code (run in ChatGPT's sandboxed iframe) rather than server code.
//
// A file is widget code when
//  1. it talks to the host: it mentions `window.openai`, the `openai:set_globals` event, the Apps SDK React
//     hooks (`useOpenAiGlobal`, `useWidgetProps`, `useWidgetState`) or imports the MCP Apps client
//     (`@modelcontextprotocol/ext-apps`, but not its `/server` entry); or
//  2. the repository declares a widget resource (`text/html+skybridge`, `text/html;profile=mcp-app`,
//     `openai/outputTemplate`, `registerAppResource`) and the file sits in a widget folder (`web/`, `widget/`,
//     `widgets/`, `ui/`, `frontend/`) without importing server-only modules; or
//  3. a widget file imports it by a relative path (so `components/` used by a widget count, and those used only by
//     the server don't).
// HTML files in those folders count too; their inline scripts are parsed as JavaScript.
import path from "node:path";
import type { Facts } from "../facts/container";
import type { Snapshot } from "../snapshot";
import { JS_EXTENSIONS, MAX_PARSE_BYTES, maskHtmlScripts, parseJs, ts } from "./js";
import { indexJsFile, jsIndex, type JsFileIndex } from "./js-index";
import { isTestPath } from "./source-kind";

export interface WidgetFiles {
  /** Widget source paths, with why each counts. */
  reasons: ReadonlyMap<string, string>;
  /** Indexed widget code: JS/TS files and the inline scripts of widget HTML files. */
  indexes: readonly JsFileIndex[];
}

const HOST_MARKERS = ["window.openai", "openai:set_globals", "useOpenAiGlobal", "useWidgetProps", "useWidgetState", "useWidgetSDK"];
const RESOURCE_MARKERS = [
  "text/html+skybridge",
  "text/html;profile=mcp-app",
  "openai/outputTemplate",
  "registerAppResource",
  "RESOURCE_MIME_TYPE",
];
const WIDGET_FOLDERS = new Set(["web", "widget", "widgets", "ui", "frontend"]);
const SERVER_ONLY = [
  'from "node:',
  "from 'node:",
  "@modelcontextprotocol/sdk/server",
  'from "express"',
  "from 'express'",
  'require("express")',
  "ext-apps/server",
];
const MAX_IMPORT_CLOSURE = 5000;

function importsExtAppsClient(text: string): boolean {
  for (let i = text.indexOf("@modelcontextprotocol/ext-apps"); i !== -1; i = text.indexOf("@modelcontextprotocol/ext-apps", i + 1)) {
    if (!text.startsWith("/server", i + "@modelcontextprotocol/ext-apps".length)) return true;
  }
  return false;
}

function isCodeOrHtml(p: string): boolean {
  const lower = p.toLowerCase();
  return lower.endsWith(".html") || (JS_EXTENSIONS.some((e) => lower.endsWith(e)) && !lower.endsWith(".d.ts"));
}

export function widgetFiles(facts: Facts): WidgetFiles {
  return facts.memo("code:widget-files", (snapshot) => {
    const reasons = new Map<string, string>();
    const candidates = snapshot.find((p) => isCodeOrHtml(p) && !isTestPath(p));
    const declaresWidget = snapshot
      .find((p) => isCodeOrHtml(p) || p.endsWith(".py"))
      .some((p) => {
        const text = snapshot.text(p);
        return text !== null && RESOURCE_MARKERS.some((m) => text.includes(m));
      });

    for (const p of candidates) {
      const text = snapshot.text(p);
      if (text === null || text.length > MAX_PARSE_BYTES) continue;
      if (HOST_MARKERS.some((m) => text.includes(m)) || importsExtAppsClient(text)) reasons.set(p, "talks to the ChatGPT host");
      else if (
        declaresWidget &&
        p
          .split("/")
          .slice(0, -1)
          .some((s) => WIDGET_FOLDERS.has(s)) &&
        !SERVER_ONLY.some((m) => text.includes(m))
      ) {
        reasons.set(p, "in a widget folder");
      }
    }
    addImportClosure(snapshot, facts, reasons);

    const byPath = new Map(jsIndex(facts).map((i) => [i.path, i]));
    const indexes: JsFileIndex[] = [];
    for (const p of [...reasons.keys()].sort()) {
      if (p.toLowerCase().endsWith(".html")) {
        const index = htmlScriptIndex(p, snapshot.text(p) ?? "");
        if (index) indexes.push(index);
      } else {
        const index = byPath.get(p);
        if (index) indexes.push(index);
      }
    }
    return { reasons, indexes };
  });
}

/** Adds files that widget files import by relative path, transitively. */
function addImportClosure(snapshot: Snapshot, facts: Facts, reasons: Map<string, string>): void {
  const byPath = new Map(jsIndex(facts).map((i) => [i.path, i]));
  const queue = [...reasons.keys()];
  while (queue.length > 0 && reasons.size < MAX_IMPORT_CLOSURE) {
    const from = queue.shift()!;
    const index = byPath.get(from);
    if (!index) continue;
    for (const statement of index.sourceFile.statements) {
      const specifier =
        (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
        statement.moduleSpecifier &&
        ts.isStringLiteral(statement.moduleSpecifier)
          ? statement.moduleSpecifier.text
          : null;
      if (!specifier || !specifier.startsWith(".")) continue;
      const target = resolveRelative(snapshot, from, specifier);
      if (target && !reasons.has(target) && !isTestPath(target)) {
        reasons.set(target, `imported by ${from}`);
        queue.push(target);
      }
    }
  }
}

const RESOLVE_SUFFIXES = ["", ".ts", ".tsx", ".js", ".jsx", ".mjs", "/index.ts", "/index.tsx", "/index.js", "/index.jsx"];

function resolveRelative(snapshot: Snapshot, from: string, specifier: string): string | null {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  if (base.startsWith("..")) return null;
  // TypeScript sources import "./x.js" meaning "./x.ts".
  const stem = base.replace(/\.[cm]?js$/, "");
  for (const candidate of [base, ...RESOLVE_SUFFIXES.map((s) => stem + s)]) {
    if (snapshot.get(candidate) && JS_EXTENSIONS.some((e) => candidate.endsWith(e))) return candidate;
  }
  return null;
}

/** Inline `<script>` bodies of an HTML file, indexed as one script (see maskHtmlScripts). */
export function htmlScriptIndex(p: string, html: string): JsFileIndex | null {
  const masked = maskHtmlScripts(html);
  if (masked === null) return null;
  const parsed = parseJs(`${p}.js`, masked);
  if (!parsed.ok) return null;
  const index = indexJsFile(parsed);
  return { ...index, path: p, text: html };
}
