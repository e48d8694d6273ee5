// Data from outside reaching a dangerous place: for every part of every dangerous sink (the host of a URL, a file
// path, a command, an SQL hole…), the tool inputs and request data it comes from, the way each one went, and the
// check made on the way, if any. Values made harmless on the way (encoded for a URL path, quoted for a shell, reduced
// to a file's base name, a number) and inputs whose schema only allows fixed values (enums, numbers, booleans) don't
// reach; a strong check on the way (a host allow-list, a path confined to a root) stops the flow; weak and
// conditional checks are kept with the flow, so a check can say why they don't hold.
import type { FileRole, Value } from "@/lib/core/facts";
import type { ToolDecl } from "../parse/tools/types";
import type { CodeFacts } from "./code";
import type { DangerRole, DangerSink } from "./danger-sinks";
import { strongest, type Guard, type Guards } from "./guards";
import type { TaintPath, TaintTracer } from "./taint";

export interface DangerFlow {
  sink: DangerSink;
  role: DangerRole;
  value: Value;
  path: TaintPath;
  /** A check on the way that does not hold (weak, or only when configured); null when nothing is checked. */
  guard: Guard | null;
}

/** Files whose code runs as the connector: sinks in tests, fixtures, docs, vendored and browser code are not followed. */
const FOLLOWED: ReadonlySet<FileRole> = new Set(["server", "script", "example"]);
const MAX_FLOWS = 2000;

// What makes a value harmless for one use.
const SANITIZERS: Record<DangerRole, RegExp | null> = {
  host: null,
  "url-path": /(?:^|\.)(?:encodeURIComponent|encodeURI|quote|quote_plus|urlencode|escape|stringify|encodePath\w*|encodeSegment\w*|slugify)$|^URLSearchParams$/,
  file: /(?:^|\.)(?:basename|secure_filename|sanitize_?filename|sanitizeFileName|filenamify|slugify|uuid\w*|randomUUID|hex|hexdigest)$/,
  cwd: /(?:^|\.)(?:basename|secure_filename)$/,
  command: /(?:^|\.)(?:quote|shlex\.quote|shlex\.join|shellescape|shellEscape|escapeShellArg|escapeshellarg|pipes\.quote)$|^shell-quote\.quote$/,
  program: null,
  arguments: /(?:^|\.)(?:basename)$/,
  // Line breaks taken out (`.replace(/[\r\n]/g, "")`), or the header encoded (RFC 2047, a mail library's address parser).
  header: /(?:^|\.)(?:replace|replaceAll|sanitize\w*|encode\w*|escape\w*|strip\w*|formatAddress\w*|parseAddress\w*|Header)$/,
  sql: /(?:^|\.)(?:escape\w*|quote_?ident\w*|quote_?literal|quoteIdentifier|format_query_value|escapeId|escapeLiteral|escapeIdentifier|Identifier|identifier|literal|sqlstring\.\w+|placeholder\w*)$/,
};
/** Input types that can only hold fixed or numeric values. */
const CONSTRAINED = /^(?:enum|nativeEnum|literal|number|int|integer|bigint|boolean|bool|date|uuid|const)$/;
const PY_CONSTRAINED = /^(?:int|float|bool|Literal\[|UUID|uuid\.UUID|datetime|date|[A-Z]\w*(?:Enum|Kind|Type|Mode))\b/;

export interface FlowInputs {
  code: CodeFacts;
  sinks: readonly DangerSink[];
  tracer: TaintTracer;
  guards: Guards;
  tools: readonly ToolDecl[];
  /** The engine's yield point (ScanOptions.pace), called between sinks. */
  pace?: () => void;
}

export function findDangerFlows({ code, sinks, tracer, guards, tools, pace = () => {} }: FlowInputs): DangerFlow[] {
  const out: DangerFlow[] = [];
  const fieldTypes = new Map<string, string>();
  for (const t of tools) for (const f of t.inputSchema.fields) fieldTypes.set(`${t.name}\0${f.name}`, f.type);
  // A file that declares a served tool is the server's, whatever its folder is called (`src/tools/testing/`).
  const toolFiles = new Set(tools.map((t) => t.location.path));
  for (const sink of sinks) {
    pace();
    const role = code.file(sink.path)?.role;
    if (!role || !(FOLLOWED.has(role) || toolFiles.has(sink.path))) continue;
    for (const part of sink.parts) {
      const sanitizer = SANITIZERS[part.role];
      const paths = tracer.trace(part.value, sink.fn, (callee) => sanitizer?.test(callee) ?? false, part.role);
      for (const path of paths) {
        if (isConstrained(code, path, fieldTypes)) continue;
        const found = guardsOn(code, guards, path, part.role, sink);
        if (found?.strength === "strong") continue;
        out.push({ sink, role: part.role, value: part.value, path, guard: found });
        if (out.length >= MAX_FLOWS) return out;
      }
    }
  }
  return out;
}

/**
 * The checks made on the value in each function it passes through, the sink's own included; the strongest wins. A
 * check written after the value is used (handed on, or used at the sink) protects nothing on this way.
 */
function guardsOn(code: CodeFacts, guards: Guards, path: TaintPath, role: DangerRole, sink: DangerSink): Guard | null {
  const found: Guard[] = [];
  const seen = new Set<string>();
  for (const { fn, name } of path.names) {
    const f = code.fn(fn);
    const uses = [...path.steps.filter((s) => s.path === f.path && s.line >= f.line && s.line <= f.endLine).map((s) => s.line), ...(fn === sink.fn ? [sink.line] : [])];
    const before = (g: Guard) => uses.length === 0 || g.path !== f.path || g.line <= Math.max(...uses);
    for (const candidate of [name, name.split(".")[0]!]) {
      const key = `${fn}:${candidate}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // A whole object's root (`args`) is too broad to stand for one of its fields, except as written.
      if (candidate !== name && !/^\$arg\d+$/.test(candidate)) continue;
      found.push(...guards.on(fn, candidate, role).filter(before));
    }
  }
  return strongest(found);
}

/** A tool input whose schema allows only fixed values, numbers or booleans, or a Python parameter typed as one. */
function isConstrained(code: CodeFacts, path: TaintPath, fieldTypes: ReadonlyMap<string, string>): boolean {
  const o = path.origin;
  if (o.kind !== "tool-input" || o.field === null) return false;
  const declared = o.tool !== null ? fieldTypes.get(`${o.tool}\0${o.field}`) : undefined;
  if (declared !== undefined) return CONSTRAINED.test(declared);
  const param = code.fn(path.entry.fn).params.find((p) => p.name === o.field);
  return param?.type ? PY_CONSTRAINED.test(param.type.trim()) : false;
}
