// Facts: what the parsers read from a connector's code, once per scan, in a form that is the same for every language.
// Checks read these and never a syntax tree, so each rule is written once for TypeScript, JavaScript and Python.
//
// The model is small on purpose: files, functions, calls with their argument values, assignments, comparisons,
// member reads and imports. Values keep enough structure to follow data (strings, templates, objects, references to
// names, results of calls); everything else is "unknown" with its parts kept, so data can still flow through it.

export type Language = "js" | "py";

/**
 * What a file is for: checks judge server code as server code, skip tests, fixtures and documentation, and treat
 * widget code (ChatGPT's sandboxed iframe) and browser code apart.
 */
export const FILE_ROLES = ["server", "widget", "browser", "script", "test", "fixture", "docs", "example", "vendored", "generated"] as const;
export type FileRole = (typeof FILE_ROLES)[number];

export type FnId = number;
export type CallId = number;

interface Positioned {
  path: string;
  /** 1-based. */
  line: number;
}

// ---- Values ----

interface ValueBase {
  /** The source text, on one line, at most 200 characters. */
  text: string;
}

export interface ObjectEntry {
  /** The key when it is a name or a constant; null for computed keys and spreads. */
  key: string | null;
  value: Value;
  /** `...x` (JS) or `**x` (Python): keys we don't see may come from `value`. */
  spread?: true;
  line: number;
}

export type Value = ValueBase &
  (
    | { kind: "string"; value: string }
    | { kind: "number"; value: number }
    | { kind: "boolean"; value: boolean }
    | { kind: "null" }
    /** Text with holes: template literals, f-strings, "a" + b, "%s" % a. */
    | { kind: "template"; parts: Value[] }
    | { kind: "object"; entries: ObjectEntry[]; line: number }
    | { kind: "array"; items: Value[] }
    /** A name or a member chain rooted at a name: `req.query.url`, `os.environ.API_KEY` (constant subscripts read as members). */
    | { kind: "ref"; path: string }
    /** A member of something that is not a plain name: `(await res.json()).items`. */
    | { kind: "member"; object: Value; property: string }
    | { kind: "call"; call: CallId }
    | { kind: "function"; fn: FnId }
    /**
     * Anything else. `op` says what when it matters for data flow: "||", "??", "&&", "?:" (parts: both branches),
     * "!", "element" (an element of parts[0]), "other".
     */
    | { kind: "unknown"; op: string; parts: Value[] }
  );

export type ValueKind = Value["kind"];

// ---- Code ----

export interface ParamFact {
  /** The name; "$argN" for a destructured parameter (its fields are bound as "$argN.field"). */
  name: string;
  index: number;
  /** Destructured field names: `({ url, id })`. */
  fields: string[];
  /** The declared type as written (`str`, `z.infer<typeof X>`), if any. */
  type: string | null;
  default: Value | null;
  /** `...rest`, `*args`, `**kwargs`. */
  rest: boolean;
}

export interface FunctionFact extends Positioned {
  id: FnId;
  endLine: number;
  /** Declared name, or the variable or property it is assigned to; null for anonymous callbacks and module bodies. */
  name: string | null;
  /** A file's top level is a function too, so every call has one around it. */
  isModule: boolean;
  className: string | null;
  params: ParamFact[];
  /** Python methods: the first parameter (self, cls) is the receiver, not an argument. */
  receiverParam: boolean;
  /** Named in the file's exports (JS) or defined at a Python module's top level. */
  exported: boolean;
  async: boolean;
  /** The function it is written inside (the module function for top-level code). */
  parent: FnId | null;
  /** Local names and what is assigned to them: declarations, assignments, destructuring, loop variables. */
  bindings: Record<string, Value[]>;
  returns: Value[];
  calls: CallId[];
  /** Decorators, as calls (`@mcp.tool()`) or names (`@staticmethod` is a ref call with no arguments). */
  decorators: CallId[];
  /** Shape of the body, for rules that ask "could this function possibly check anything?" */
  shape: { branches: number; throws: number; awaits: number; comparisons: number; statements: number };
  /** Identifiers and string literals of the body, lower-cased and space-separated (bounded): what the code says. */
  words: string;
}

export interface CallFact extends Positioned {
  id: CallId;
  fn: FnId;
  /** The callee as written, as a dotted name: `fetch`, `axios.get`, `res.status().json` (a call in the chain is "()"). "" when not a name. */
  callee: string;
  /**
   * The callee through imports, module-qualified: `jsonwebtoken.decode` for `jwt.decode` after
   * `import jwt from "jsonwebtoken"`, `requests.get`, `child_process.exec`. Equal to `callee` for globals and locals.
   */
  resolved: string;
  /** The repository function it calls, when the linker could tell. */
  target: FnId | null;
  /** For member calls, the object called on: `res.status(401)` for `res.status(401).json(x)`. */
  receiver: Value | null;
  args: Value[];
  /** Python keyword arguments, in order. */
  kwargs: Array<[string, Value]>;
  /** `f(...xs)`, `f(*a, **kw)`: arguments we don't see. */
  spread: boolean;
  isNew: boolean;
  /** A tagged template (`sql\`…\``): its arguments are the template's parts. */
  tagged: boolean;
  text: string;
}

export interface AssignmentFact extends Positioned {
  fn: FnId;
  /** The member written: `res.statusCode`, `process.env.NODE_TLS_REJECT_UNAUTHORIZED`, `el.innerHTML`. */
  target: string;
  value: Value;
  /** "=", "+=", … */
  op: string;
}

export interface ComparisonFact extends Positioned {
  fn: FnId;
  op: string;
  left: Value;
  right: Value;
}

/** A member read with at least two segments: `req.query.token`, `navigator.clipboard`. */
export interface AccessFact extends Positioned {
  fn: FnId;
  target: string;
}

export interface ImportFact extends Positioned {
  /** As written: "jsonwebtoken", "./auth", ".utils" (Python relative). */
  module: string;
  /** The repository file it names, when it is one. */
  resolvedPath: string | null;
  /** `imported` is "default", "*" (namespace / `import x`) or a name; `local` the name bound here. */
  names: Array<{ imported: string; local: string }>;
}

export interface ClassFact extends Positioned {
  name: string;
  bases: string[];
  methods: FnId[];
}

/** A JSX attribute: `dangerouslySetInnerHTML={{ __html: x }}`, `src={url}`. */
export interface JsxAttributeFact extends Positioned {
  fn: FnId;
  element: string;
  name: string;
  value: Value;
}

export interface SourceFileFact {
  path: string;
  language: Language;
  role: FileRole;
  /** Why the role, in a few words ("in a tests folder", "talks to window.openai"). */
  roleReason: string;
  /** Null when parsed; otherwise why not (too large, minified, syntax errors, parser error). */
  unparseable: string | null;
  /** The module function of the file (absent when unparseable). */
  module: FnId | null;
  /** Leading directives: "use client", "use server". */
  directives: string[];
  /** Exported names and what they are. */
  exports: Record<string, Value>;
}

export interface CodeFactsData {
  files: SourceFileFact[];
  functions: FunctionFact[];
  calls: CallFact[];
  assignments: AssignmentFact[];
  comparisons: ComparisonFact[];
  accesses: AccessFact[];
  imports: ImportFact[];
  classes: ClassFact[];
  jsxAttributes: JsxAttributeFact[];
  /** Every object literal (JS) and dictionary (Python), with the function it is written in. */
  objects: Array<{ fn: FnId; path: string; value: Extract<Value, { kind: "object" }> }>;
}

// ---- Data flow ----

export type RequestPart = "body" | "query" | "headers" | "params" | "cookies" | "url" | "host" | "form" | "any";

/** Where a value comes from, as a reviewer traces it. */
export type Origin =
  | { kind: "tool-input"; tool: string | null; field: string | null }
  | { kind: "request"; part: RequestPart; name: string | null }
  /** The caller's bearer token, or the claims read from it (verified or not). */
  | { kind: "credential"; what: "token" | "claims" }
  /** A configured secret: an environment variable or setting named like a key, token or password. */
  | { kind: "secret"; name: string }
  | { kind: "env"; name: string }
  /** The body of a response from another service. */
  | { kind: "upstream" };

/** Places data must not reach unchecked. */
export const SINK_KINDS = ["outbound-url", "outbound-auth", "log", "redirect", "file-path", "shell", "sql", "html", "cors-origin"] as const;
export type SinkKind = (typeof SINK_KINDS)[number];

export interface SinkFact extends Positioned {
  kind: SinkKind;
  fn: FnId;
  /** The value that reaches the sink. */
  value: Value;
  /** What the sink is, in words: "fetch URL", "console.log", "res.redirect". */
  what: string;
  /** The call that is the sink (directly, or the wrapper called here). */
  call: CallId | null;
  /** When the sink is inside a helper: the helper's name and where the real sink is. */
  via: { name: string; path: string; line: number } | null;
}
