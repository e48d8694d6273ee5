// TypeScript/JavaScript syntax trees for checks, parsed once per scan with the TypeScript compiler API.
// Syntax only: nothing is type-checked, resolved, imported or run.
import path from "node:path";
import ts from "typescript";
import type { Facts } from "../facts/container";

export const JS_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"] as const;

/** Larger sources are almost always bundles or generated code; parsing them costs time and finds nothing of ours. */
export const MAX_PARSE_BYTES = 2 * 1024 * 1024;

export interface ParsedJs {
  path: string;
  ok: true;
  sourceFile: ts.SourceFile;
  text: string;
}

export interface UnparseableFile {
  path: string;
  ok: false;
  reason: string;
}

export type JsParseResult = ParsedJs | UnparseableFile;

function scriptKind(p: string): ts.ScriptKind {
  switch (path.posix.extname(p).toLowerCase()) {
    case ".tsx":
      return ts.ScriptKind.TSX;
    case ".jsx":
      return ts.ScriptKind.JSX;
    case ".js":
    case ".mjs":
    case ".cjs":
      return ts.ScriptKind.JS;
    default:
      return ts.ScriptKind.TS;
  }
}

/** A file is minified when its lines are very long on average: checks skip those. */
export function looksMinified(text: string): boolean {
  if (text.length < 5000) return false;
  let lines = 1;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lines++;
  return text.length / lines > 500;
}

/**
 * Parses one file; never throws. Deep nesting or hostile input becomes an "unparseable" result. `parents: false`
 * skips linking each node to its parent, for a tree walked once from the top and let go (reading facts): on such a
 * tree `node.parent` and `node.getSourceFile()` don't work, so it must never reach code that climbs a tree.
 */
export function parseJs(filePath: string, text: string, { parents = true }: { parents?: boolean } = {}): JsParseResult {
  if (text.length > MAX_PARSE_BYTES) return { path: filePath, ok: false, reason: `larger than ${MAX_PARSE_BYTES / (1024 * 1024)} MB` };
  if (looksMinified(text)) return { path: filePath, ok: false, reason: "minified" };
  try {
    // JSDoc comments are not parsed into nodes: nothing reads them, and a documented codebase has thousands.
    const options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
    const sourceFile = ts.createSourceFile(filePath, text, options, parents, scriptKind(filePath));
    // The parser recovers from most syntax errors; a file it mostly can't read is reported rather than half-judged.
    const diagnostics = (sourceFile as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
    if (diagnostics.length > 50) return { path: filePath, ok: false, reason: `${diagnostics.length} syntax errors` };
    return { path: filePath, ok: true, sourceFile, text };
  } catch (error) {
    const reason =
      error instanceof RangeError ? "nesting too deep to parse" : `parser error: ${error instanceof Error ? error.message : String(error)}`;
    return { path: filePath, ok: false, reason };
  }
}

/**
 * The JS/TS files of a scan that parsed, by path, and those that didn't. A file's syntax tree is kept only when it was
 * added with `keepTree` (Facts.prepare keeps the files that may declare tools, which the tool manifest reads); the
 * others were read for facts and let go, so a large repository's trees never all sit in the heap at once. Asking for
 * such a file parses it again, once; the text and module specifiers of every file stay at hand without a tree.
 */
export class JsSources {
  readonly #texts = new Map<string, string>();
  readonly #trees = new Map<string, ParsedJs>();
  readonly #imports = new Map<string, readonly string[]>();
  readonly unparseable: UnparseableFile[] = [];

  add(result: JsParseResult, keepTree = true): void {
    if (!result.ok) {
      this.unparseable.push(result);
      return;
    }
    this.#texts.set(result.path, result.text);
    this.#imports.set(result.path, moduleImports(result));
    if (keepTree) this.#trees.set(result.path, result);
  }

  /** The parsed file (its syntax tree), or undefined when the path isn't a JS/TS file that parsed. */
  get(path: string): ParsedJs | undefined {
    const kept = this.#trees.get(path);
    if (kept) return kept;
    const text = this.#texts.get(path);
    if (text === undefined) return undefined;
    // The same text parsed the first time, so it parses again; kept from now on, so its nodes stay the same objects.
    const again = parseJs(path, text);
    if (!again.ok) return undefined;
    this.#trees.set(path, again);
    return again;
  }

  has(path: string): boolean {
    return this.#texts.has(path);
  }

  /** The paths as a lookup for resolveJsModule: resolving an import then needs no syntax tree, so none is parsed. */
  readonly pathLookup = { get: (path: string): string | undefined => (this.has(path) ? path : undefined) };

  /** Paths of the files that parsed, in the snapshot's order. */
  paths(): string[] {
    return [...this.#texts.keys()];
  }

  text(path: string): string | undefined {
    return this.#texts.get(path);
  }

  /** The module specifiers the file imports, requires or re-exports. */
  importsOf(path: string): readonly string[] {
    return this.#imports.get(path) ?? [];
  }
}

/** Whether a path is a JS/TS source the engine parses. */
export function isJsSource(p: string): boolean {
  const lower = p.toLowerCase();
  return JS_EXTENSIONS.some((ext) => lower.endsWith(ext)) && !lower.endsWith(".d.ts") && !/\.min\.[cm]?js$/.test(lower);
}

/**
 * Every JS/TS source file of the snapshot, parsed once and shared. Facts.prepare fills this as it reads each file's
 * facts (keeping only the trees the tool manifest needs); called first, it parses everything and keeps every tree.
 */
export function jsFiles(facts: Facts): JsSources {
  return facts.memo("parse:js", (snapshot) => {
    const out = new JsSources();
    for (const p of snapshot.find(isJsSource)) {
      const text = snapshot.text(p);
      if (text !== null) out.add(parseJs(p, text));
    }
    return out;
  });
}

/** The module specifiers a file imports, requires or re-exports (`import`, `export … from`, `require()`, `import()`). */
export function moduleImports(file: ParsedJs): string[] {
  const out: string[] = [];
  const add = (node: ts.Node | undefined) => {
    if (node && ts.isStringLiteralLike(node)) out.push(node.text);
  };
  for (const st of file.sourceFile.statements) {
    if (ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) add(st.moduleSpecifier);
  }
  if (/\brequire\s*\(|\bimport\s*\(/.test(file.text)) {
    walk(file.sourceFile, (n) => {
      if (
        ts.isCallExpression(n) &&
        (n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === "require"))
      )
        add(n.arguments[0]);
    });
  }
  return out;
}

/**
 * Visits every node depth-first with an explicit stack, so 10,000-deep nesting can't overflow the call stack.
 * Return false from the visitor to skip a node's children.
 */
export function walk(root: ts.Node, visit: (node: ts.Node) => boolean | void): void {
  const stack: ts.Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visit(node) === false) continue;
    const children: ts.Node[] = [];
    ts.forEachChild(node, (child) => {
      children.push(child);
    });
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

/** 1-based line of a node's first token. */
export function lineOf(node: ts.Node, sourceFile: ts.SourceFile = node.getSourceFile()): number {
  return sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
}

/** The dotted name of a callee (`server.registerTool`, `console.log`), or null when it isn't a plain name chain. */
export function calleeName(expression: ts.Expression): string | null {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) {
    const left = calleeName(expression.expression);
    return left === null
      ? expression.expression.kind === ts.SyntaxKind.ThisKeyword
        ? `this.${expression.name.text}`
        : null
      : `${left}.${expression.name.text}`;
  }
  return null;
}

/**
 * The inline `<script>` bodies of an HTML file as one script: everything outside the scripts is blanked (newlines
 * kept), so offsets and line numbers match the HTML file. Null when there is no inline script.
 */
export function maskHtmlScripts(html: string): string | null {
  if (html.length > MAX_PARSE_BYTES) return null;
  const lower = html.toLowerCase();
  const keep: Array<[number, number]> = [];
  let at = 0;
  while (at < lower.length) {
    const open = lower.indexOf("<script", at);
    if (open === -1) break;
    const tagEnd = lower.indexOf(">", open);
    if (tagEnd === -1) break;
    const close = lower.indexOf("</script", tagEnd);
    const end = close === -1 ? lower.length : close;
    const tag = lower.slice(open, tagEnd);
    // External scripts have no body; JSON and templates are not code.
    if (!/\ssrc\s*=/.test(tag) && !/type\s*=\s*["']?(?:application\/(?:ld\+)?json|text\/template|importmap)/.test(tag)) keep.push([tagEnd + 1, end]);
    at = end + 1;
  }
  if (keep.length === 0) return null;
  let masked = "";
  let last = 0;
  for (const [from, to] of keep) {
    masked += blank(html.slice(last, from)) + html.slice(from, to);
    last = to;
  }
  return masked + blank(html.slice(last));
}

function blank(s: string): string {
  return s.replace(/[^\n]/g, " ");
}

export { ts };
