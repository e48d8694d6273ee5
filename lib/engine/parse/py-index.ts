// One pass over every parsed Python file, indexing calls, comparisons, assignments and functions for the code
// checks. tree-sitter's native descendantsOfType does the walk, so no node is visited from JavaScript twice.
import type { Facts } from "../facts/container";
import { pythonFiles, type PyNode } from "./python";

export interface PyCall {
  node: PyNode;
  /** Dotted callee (`requests.get`, `logging.info`), or null when it isn't a name chain. */
  callee: string | null;
}

export interface PyFunction {
  node: PyNode;
  name: string;
  /** Decorator expressions as written, without the `@` (`mcp.tool()`, `app.get("/x")`). */
  decorators: string[];
  /** The decorator expressions themselves (a call or a name), in order. */
  decoratorNodes: PyNode[];
  /** The class the function is a method of, if any. */
  className: string | null;
}

export interface PyFileIndex {
  path: string;
  text: string;
  root: PyNode;
  calls: PyCall[];
  comparisons: PyNode[];
  assignments: PyNode[];
  functions: PyFunction[];
  classes: PyNode[];
}

const INDEXED = ["call", "comparison_operator", "assignment", "function_definition", "class_definition"];

/** Every parsed Python file, indexed once per scan. Nodes stay valid until the scan's facts are disposed. */
export function pyIndex(facts: Facts): Promise<readonly PyFileIndex[]> {
  return facts.memo("index:python", async () => {
    const out: PyFileIndex[] = [];
    for (const file of (await pythonFiles(facts)).values()) {
      if (!file.ok) continue;
      const index: PyFileIndex = {
        path: file.path,
        text: file.text,
        root: file.tree.rootNode,
        calls: [],
        comparisons: [],
        assignments: [],
        functions: [],
        classes: [],
      };
      for (const node of file.tree.rootNode.descendantsOfType(INDEXED)) {
        if (!node) continue;
        switch (node.type) {
          case "call":
            index.calls.push({ node, callee: dottedName(node.childForFieldName("function")) });
            break;
          case "comparison_operator":
            index.comparisons.push(node);
            break;
          case "assignment":
            index.assignments.push(node);
            break;
          case "class_definition":
            index.classes.push(node);
            break;
          case "function_definition":
            index.functions.push(describeFunction(node));
            break;
        }
      }
      out.push(index);
    }
    return out;
  });
}

function describeFunction(node: PyNode): PyFunction {
  const name = node.childForFieldName("name")?.text ?? "";
  const decorators: string[] = [];
  const decoratorNodes: PyNode[] = [];
  const parent = node.parent;
  if (parent?.type === "decorated_definition") {
    for (const child of parent.namedChildren) {
      if (child?.type !== "decorator") continue;
      const expression = child.namedChildren.find((c) => c !== null && c.type !== "comment");
      if (!expression) continue;
      decoratorNodes.push(expression);
      decorators.push(expression.text.slice(0, 500));
    }
  }
  // function_definition -> block -> class_definition (possibly through decorated_definition).
  const up = (parent?.type === "decorated_definition" ? parent.parent : parent)?.parent ?? null;
  const className = up?.type === "class_definition" ? (up.childForFieldName("name")?.text ?? null) : null;
  return { node, name, decorators, decoratorNodes, className };
}

/** `a.b.c` for identifier/attribute chains; null for anything else (calls, subscripts). */
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

/**
 * Like `dottedName`, but also reads string subscripts and `.get("x")` calls as members:
 * `request.headers["authorization"]` and `request.headers.get("Authorization")` are `request.headers.authorization`.
 */
export function memberPath(node: PyNode | null | undefined): string | null {
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
    return left === null || key === null ? null : `${left}.${key.toLowerCase()}`;
  }
  if (node.type === "call") {
    const fn = node.childForFieldName("function");
    if (fn?.type === "attribute" && fn.childForFieldName("attribute")?.text === "get") {
      const key = stringContent(positionalArgs(node)[0]);
      const left = memberPath(fn.childForFieldName("object"));
      return left === null || key === null ? null : `${left}.${key.toLowerCase()}`;
    }
  }
  return null;
}

/** Keyword arguments of a call, by name. */
export function keywordArgs(call: PyNode): Map<string, PyNode> {
  const out = new Map<string, PyNode>();
  const args = call.childForFieldName("arguments");
  if (!args) return out;
  for (const a of args.namedChildren) {
    if (a?.type !== "keyword_argument") continue;
    const name = a.childForFieldName("name")?.text;
    const value = a.childForFieldName("value");
    if (name && value) out.set(name, value);
  }
  return out;
}

/** Positional arguments of a call, in order (keyword and splat arguments left out). */
export function positionalArgs(call: PyNode): PyNode[] {
  const args = call.childForFieldName("arguments");
  if (!args || args.type !== "argument_list") return [];
  return args.namedChildren.filter(
    (a): a is PyNode =>
      a !== null && a.type !== "keyword_argument" && a.type !== "list_splat" && a.type !== "dictionary_splat" && a.type !== "comment",
  );
}

/** Whether a call passes `*args` or `**kwargs`, so keywords we don't see may still be set. */
export function hasSplat(call: PyNode): boolean {
  const args = call.childForFieldName("arguments");
  return !!args?.namedChildren.some((a) => a?.type === "list_splat" || a?.type === "dictionary_splat");
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

/** String literal values of a list/tuple/set literal, or null when any element is not a plain string. */
export function stringList(node: PyNode | null | undefined): string[] | null {
  if (!node || !["list", "tuple", "set"].includes(node.type)) return null;
  const out: string[] = [];
  for (const el of node.namedChildren) {
    const s = stringContent(el);
    if (s === null) return null;
    out.push(s);
  }
  return out;
}

/** 1-based line of a node. */
export function pyLine(node: PyNode): number {
  return node.startPosition.row + 1;
}
