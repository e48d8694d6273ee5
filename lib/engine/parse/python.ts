// Python syntax trees for checks, parsed once per scan with web-tree-sitter and the Python grammar (WebAssembly).
import path from "node:path";
import { createRequire } from "node:module";
import { Language, Parser, type Node as PyNode, type ParseOptions, type Tree } from "web-tree-sitter";
import type { Facts } from "../facts/container";
import { MAX_PARSE_BYTES, type UnparseableFile } from "./js";

export type { PyNode, Tree };

export interface ParsedPython {
  path: string;
  ok: true;
  tree: Tree;
  text: string;
}

export type PyParseResult = ParsedPython | UnparseableFile;

let languagePromise: Promise<Language> | undefined;

/** Loads the grammar once per process. */
function pythonLanguage(): Promise<Language> {
  languagePromise ??= (async () => {
    // The grammars sit in our node_modules, not the user's: the CLI runs from any folder and says where it is installed
    // (LAUNCH_REVIEW_HOME); the app runs from the project root.
    const require = createRequire(path.join(/*turbopackIgnore: true*/ process.env.LAUNCH_REVIEW_HOME ?? process.cwd(), "package.json"));
    await Parser.init({ locateFile: () => require.resolve("web-tree-sitter/tree-sitter.wasm") });
    return Language.load(require.resolve("tree-sitter-python/tree-sitter-python.wasm"));
  })();
  return languagePromise;
}

/** Parses Python source; never throws. */
export async function parsePython(filePath: string, text: string): Promise<PyParseResult> {
  if (text.length > MAX_PARSE_BYTES) return { path: filePath, ok: false, reason: `larger than ${MAX_PARSE_BYTES / (1024 * 1024)} MB` };
  try {
    const language = await pythonLanguage();
    const parser = new Parser();
    parser.setLanguage(language);
    // Returning true from the progress callback cancels parsing (the typings say void): a deadline for hostile input.
    const deadline = Date.now() + 2000;
    const cancelAfterDeadline = (() => Date.now() > deadline) as unknown as ParseOptions["progressCallback"];
    const tree = parser.parse(text, null, { progressCallback: cancelAfterDeadline });
    parser.delete();
    if (!tree) return { path: filePath, ok: false, reason: "parse timed out" };
    return { path: filePath, ok: true, tree, text };
  } catch (error) {
    return { path: filePath, ok: false, reason: `parser error: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Every .py file of the snapshot, parsed once per scan. Trees are freed when the scan's facts are disposed. */
export function pythonFiles(facts: Facts): Promise<ReadonlyMap<string, PyParseResult>> {
  return facts.memo("parse:python", async (snapshot) => {
    const out = new Map<string, PyParseResult>();
    for (const p of snapshot.findByExtension(".py")) {
      facts.pace();
      const text = snapshot.text(p);
      if (text !== null) out.set(p, await parsePython(p, text));
    }
    facts.onDispose(() => {
      for (const r of out.values()) if (r.ok) r.tree.delete();
    });
    return out;
  });
}

/** Visits every node depth-first without recursion. Return false to skip a node's children. */
export function walkPython(root: PyNode, visit: (node: PyNode) => boolean | void): void {
  const stack: PyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (visit(node) === false) continue;
    for (let i = node.childCount - 1; i >= 0; i--) {
      const child = node.child(i);
      if (child) stack.push(child);
    }
  }
}
