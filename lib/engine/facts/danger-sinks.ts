// The places where data from outside turns into an action, each with the parts that matter: the host and the path
// of an outbound URL or a redirect target, a file path, a shell command (or the program, its arguments and its working
// directory when no shell runs), an SQL text built from pieces. Read from the code facts and the derived HTTP facts;
// the data-flow tracer follows each part back to where it comes from.
import type { CallFact, FnId, Value } from "@/lib/core/facts";
import { methodOf } from "./call-method";
import type { CodeFacts } from "./code";
import { entry, kwarg, type OutboundCall, type ResponseFact } from "./http";
import { mailHeaderSinks } from "./mail-headers";

export type DangerKind = "outbound-url" | "redirect" | "file-path" | "shell" | "sql" | "mail-header";

/**
 * What a traced value is to its sink. `host`: it decides where a request or redirect goes; `url-path`: it is only
 * part of the path below a fixed origin; `command`: text a shell runs; `program`, `arguments`, `cwd`: a process
 * started without a shell; `file`: a path opened, read, written or listed; `sql`: a hole in SQL text; `header`: the
 * value of a mail header line.
 */
export type DangerRole = "host" | "url-path" | "command" | "program" | "arguments" | "cwd" | "file" | "sql" | "header";

export interface DangerSink {
  kind: DangerKind;
  fn: FnId;
  path: string;
  line: number;
  /** The call that is the sink, when there is one. */
  call: CallFact | null;
  /** What it is, as written: `fetch`, `fs.readFile`, `subprocess.run`, `cursor.execute`, `res.redirect`. */
  what: string;
  parts: Array<{ role: DangerRole; value: Value }>;
}

const MAX_SINKS = 5000;

export function findDangerSinks(
  code: CodeFacts,
  outbound: readonly OutboundCall[],
  responses: readonly ResponseFact[],
  textOf: (path: string) => string | null = () => null,
): DangerSink[] {
  const out: DangerSink[] = [...mailHeaderSinks(code, textOf)];
  for (const o of outbound) {
    if (!o.url) continue;
    const what = o.kind === "client" ? `${o.call.callee} base URL` : o.call.callee;
    out.push({ kind: "outbound-url", fn: o.fn, path: o.path, line: o.line, call: o.call, what, parts: urlParts(code, o.url, o.fn) });
  }
  for (const r of responses) {
    if (r.via) continue;
    const target = r.redirect ?? r.headers.find(([name]) => name === "location")?.[1] ?? null;
    if (target) out.push({ kind: "redirect", fn: r.fn, path: r.path, line: r.line, call: r.call, what: r.call?.callee ?? "Location header", parts: urlParts(code, target, r.fn) });
  }
  for (const call of code.callsWhere(maySink)) {
    if (out.length >= MAX_SINKS) break;
    const language = code.file(call.path)?.language ?? "js";
    const sink = shellSink(code, call) ?? fileSink(call, language) ?? sqlSink(code, call);
    if (sink) out.push(sink);
  }
  return out.slice(0, MAX_SINKS);
}

// ---- URLs ----

const URL_CTOR = /^(?:URL|url\.URL|urllib\.parse\.urljoin|urljoin|urlparse\.urljoin|new URL)$/;
const URL_PASS = /(?:^|\.)(?:toString|toJSON|href|geturl|unparse)$|^(?:String|str)$/;

/**
 * Splits a URL value into the parts that decide its host and the parts below a fixed origin. Constants are read as
 * text: holes before the host is complete decide it (`https://${host}/x`, `${base}/x`, a whole value), holes after it
 * are path (and query, which is left out). `new URL(path, base)` and `urljoin(base, path)` take the host from the base
 * when the path is plainly relative.
 */
export function urlParts(code: CodeFacts, v: Value, fn: FnId, depth = 0): DangerSink["parts"] {
  if (depth > 4) return [{ role: "host", value: v }];
  const resolved = resolveLocal(code, v, fn);
  if (resolved.kind === "template") return templateParts(code, resolved.parts, fn, depth);
  if (resolved.kind === "string") return [];
  const call = code.callOf(resolved);
  if (call) {
    const name = call.isNew ? call.callee : call.resolved || call.callee;
    if (URL_CTOR.test(name) && call.args.length > 0) {
      const [first, second] = name.endsWith("urljoin") ? [call.args[1], call.args[0]] : [call.args[0], call.args[1]];
      if (!first) return [];
      if (second && isRelative(code, first, fn)) return [...urlParts(code, second, fn, depth + 1), ...relativeParts(code, first, fn, depth)];
      return [...urlParts(code, first, fn, depth + 1), ...(second ? urlParts(code, second, fn, depth + 1) : [])];
    }
    if (URL_PASS.test(call.callee) && call.receiver) return urlParts(code, call.receiver, fn, depth + 1);
    if (/^(?:String|str)$/.test(call.callee) && call.args[0]) return urlParts(code, call.args[0], fn, depth + 1);
  }
  if (resolved.kind === "member" && /^(?:href|url)$/.test(resolved.property)) return urlParts(code, resolved.object, fn, depth + 1);
  if (resolved.kind === "object") return optionParts(code, resolved, fn, depth);
  return [{ role: "host", value: resolved }];
}

/**
 * Request options (`axios({ baseURL, url })`, `http.request({ hostname, path })`): the URL's parts, resolved against
 * the base when it is plainly relative (an absolute `url` replaces axios' `baseURL`), and the host named on its own.
 */
function optionParts(code: CodeFacts, options: Value, fn: FnId, depth: number): DangerSink["parts"] {
  const url = entry(options, "url") ?? entry(options, "uri") ?? entry(options, "href");
  const base = entry(options, "baseURL") ?? entry(options, "baseUrl") ?? entry(options, "base_url");
  const host = entry(options, "hostname") ?? entry(options, "host");
  const out: DangerSink["parts"] = [];
  if (url && base && isRelative(code, url, fn)) out.push(...urlParts(code, base, fn, depth + 1), ...relativeParts(code, url, fn, depth));
  else if (url) out.push(...urlParts(code, url, fn, depth + 1));
  else if (base) out.push(...urlParts(code, base, fn, depth + 1));
  if (host) out.push({ role: "host", value: host });
  return out;
}

function templateParts(code: CodeFacts, raw: readonly Value[], fn: FnId, depth: number): DangerSink["parts"] {
  const parts = expandPercentFormat(raw);
  const out: DangerSink["parts"] = [];
  let text = "";
  let state: "start" | "authority" | "path" | "query" = "start";
  for (const p of parts) {
    if (p.kind === "string") {
      text += p.value;
      if (state === "start") {
        const scheme = /^[a-z][\w+.-]*:\/\//i.exec(text);
        if (scheme) state = /[/?#]/.test(text.slice(scheme[0].length)) ? "path" : "authority";
        else if (text.startsWith("/") || text.startsWith("?")) state = "path";
        else if (text.length > 0) state = /[/?#]/.test(text) ? "path" : "authority";
      } else if (state === "authority" && /[/?#]/.test(p.value)) state = "path";
      if (state === "path" && /[?#]/.test(p.value)) state = "query";
      continue;
    }
    if (state === "start") {
      // A hole first: a base URL (`${API}/x`) or a whole URL. Either way it decides the host.
      out.push(...urlParts(code, p, fn, depth + 1));
      state = "path";
    } else if (state === "authority") out.push({ role: "host", value: p });
    else if (state === "path") out.push({ role: "url-path", value: p });
  }
  return out;
}

/** Parts of a path resolved against a base: holes are path, unless the text before them can leave the base. */
function relativeParts(code: CodeFacts, v: Value, fn: FnId, depth: number): DangerSink["parts"] {
  const resolved = resolveLocal(code, v, fn);
  if (resolved.kind !== "template") return [];
  return templateParts(code, resolved.parts, fn, depth).map((p) => ({ ...p, role: p.role === "host" ? "url-path" : p.role }));
}

function isRelative(code: CodeFacts, v: Value, fn: FnId): boolean {
  const resolved = resolveLocal(code, v, fn);
  const head = resolved.kind === "template" ? resolved.parts[0] : resolved;
  return head?.kind === "string" && (head.value.startsWith("/") || head.value.startsWith("?") || /^[\w.-]+(?:\/|$)/.test(head.value)) && !/^[a-z][\w+.-]*:/i.test(head.value);
}

/** `"%s/items/%s" % (base, id)`: the holes in the order they appear. */
function expandPercentFormat(parts: readonly Value[]): readonly Value[] {
  const [first, second] = parts;
  if (parts.length !== 2 || first?.kind !== "string" || !/%[sdr]/.test(first.value)) return parts;
  const holes = second?.kind === "array" ? second.items : second ? [second] : [];
  const pieces = first.value.split(/%[sdr]/);
  const out: Value[] = [];
  pieces.forEach((piece, i) => {
    if (piece) out.push({ kind: "string", value: piece, text: piece });
    if (i < pieces.length - 1 && holes[i]) out.push(holes[i]!);
  });
  return out;
}

/** A plain local name bound to exactly one value, followed (bounded): how `const url = \`…\`; fetch(url)` is read. */
export function resolveLocal(code: CodeFacts, v: Value, fn: FnId): Value {
  let current = v;
  for (let hops = 0; hops < 4 && current.kind === "ref" && !current.path.includes("."); hops++) {
    if (code.paramOwner(fn, current.path)) break;
    const bound = code.lookup(fn, current.path);
    if (bound.length !== 1) break;
    current = bound[0]!;
  }
  return current;
}

// ---- processes ----

const NODE_SHELL = /^(?:child_process\.(?:exec|execSync)|shelljs\.exec|execa\.command|execa\.commandSync|execaCommand|execaCommandSync)$/;
const NODE_SPAWN = /^(?:child_process\.(?:spawn|spawnSync|execFile|execFileSync|fork)|execa|execa\.execa|execa\.sync|execaSync|cross-spawn)$/;
const PY_SHELL = /^(?:os\.system|os\.popen|commands\.getoutput|commands\.getstatusoutput|subprocess\.getoutput|subprocess\.getstatusoutput|asyncio\.create_subprocess_shell)$/;
const PY_SUBPROCESS = /^(?:subprocess\.(?:run|call|Popen|check_output|check_call)|asyncio\.create_subprocess_exec|os\.exec\w+|os\.spawn\w+)$/;

function shellSink(code: CodeFacts, call: CallFact): DangerSink | null {
  // `node:child_process` is `child_process`.
  const name = (call.resolved || call.callee).replace(/^node:/, "");
  if (!NODE_SHELL.test(name) && !PY_SHELL.test(name) && !NODE_SPAWN.test(name) && !PY_SUBPROCESS.test(name)) return null;
  const local = (v: Value | undefined) => (v ? resolveLocal(code, v, call.fn) : undefined);
  const base = { kind: "shell" as const, fn: call.fn, path: call.path, line: call.line, call, what: name };
  const cwdOf = (options: Value | undefined) => (options?.kind === "object" ? entry(options, "cwd") : undefined) ?? kwarg(call, "cwd");
  const withCwd = (parts: DangerSink["parts"], options?: Value) => {
    const cwd = cwdOf(options);
    return cwd ? [...parts, { role: "cwd" as const, value: cwd }] : parts;
  };
  if (NODE_SHELL.test(name) || PY_SHELL.test(name)) {
    const command = call.args[0] ?? kwarg(call, "cmd") ?? kwarg(call, "command");
    return command ? { ...base, parts: withCwd([{ role: "command", value: command }], call.args[1]) } : null;
  }
  if (NODE_SPAWN.test(name)) {
    const program = call.args[0];
    const args = local(call.args[1]);
    const options = local(call.args[2]);
    if (!program) return null;
    const opts = args?.kind === "object" ? args : options;
    if (opts?.kind === "object" && shellOn(entry(opts, "shell"))) {
      return { ...base, parts: withCwd([{ role: "command", value: program }, ...(args && args.kind !== "object" ? [{ role: "command" as const, value: args }] : [])], opts) };
    }
    const argParts = args?.kind === "array" ? optionsOf(args.items) : args && args.kind !== "object" ? [args] : [];
    return { ...base, parts: withCwd([{ role: "program", value: program }, ...argParts.map((value) => ({ role: "arguments" as const, value }))], opts) };
  }
  if (PY_SUBPROCESS.test(name)) {
    const written = call.args[0] ?? kwarg(call, "args");
    if (!written) return null;
    const first = local(written)!;
    const shell = shellOn(kwarg(call, "shell"));
    if (shell) return { ...base, parts: withCwd([{ role: "command", value: first }]) };
    if (first.kind === "array") {
      const [program, ...rest] = first.items;
      return { ...base, parts: withCwd([...(program ? [{ role: "program" as const, value: program }] : []), ...optionsOf(rest).map((value) => ({ role: "arguments" as const, value }))]) };
    }
    // asyncio.create_subprocess_exec(program, *args), os.execv(path, args): the first is the program.
    const rest = call.args.slice(1).map((value) => ({ role: "arguments" as const, value }));
    return { ...base, parts: withCwd([{ role: "program", value: first }, ...rest]) };
  }
  return null;
}

/** The arguments a program may read as options: those before a `--`, after which everything is an operand. */
function optionsOf(items: readonly Value[]): Value[] {
  const end = items.findIndex((v) => v.kind === "string" && v.value === "--");
  return end === -1 ? [...items] : items.slice(0, end);
}

function shellOn(v: Value | undefined): boolean {
  if (!v) return false;
  return !(v.kind === "boolean" && !v.value) && v.kind !== "null";
}

// ---- files ----

const NODE_FILE = /^(?:fs|fs\/promises|fs-extra|graceful-fs|node:fs)(?:\.promises)?\.(?:readFile|readFileSync|writeFile|writeFileSync|appendFile|appendFileSync|createReadStream|createWriteStream|readdir|readdirSync|unlink|unlinkSync|rm|rmSync|rmdir|rmdirSync|open|openSync|copyFile|copyFileSync|rename|renameSync|cp|cpSync|mkdir|mkdirSync|opendir|readJson|readJSON|writeJson|writeJSON|outputFile|remove|move|copy|truncate|truncateSync|symlink|symlinkSync)$/;
const NODE_FILE_TWO = /\.(?:copyFile|copyFileSync|rename|renameSync|cp|cpSync|move|copy|symlink|symlinkSync)$/;
const PY_FILE = /^(?:open|io\.open|codecs\.open|aiofiles\.open|os\.remove|os\.unlink|os\.rmdir|os\.listdir|os\.scandir|os\.walk|os\.makedirs|os\.mkdir|os\.rename|os\.replace|shutil\.(?:rmtree|copy|copy2|copyfile|copytree|move)|git\.Repo|git\.repo\.Repo|Repo|git\.Repo\.init|git\.Repo\.clone_from|send_file|flask\.send_file|starlette\.responses\.FileResponse|fastapi\.responses\.FileResponse|FileResponse)$/;
const PATH_METHOD = /\.(?:read_text|read_bytes|write_text|write_bytes|unlink|rmdir|iterdir|glob|rglob|mkdir|touch)$/;

function fileSink(call: CallFact, language: "js" | "py"): DangerSink | null {
  const name = call.resolved || call.callee;
  const base = { kind: "file-path" as const, fn: call.fn, path: call.path, line: call.line, call, what: name };
  if (language === "js") {
    if (!NODE_FILE.test(name) && !/^(?:res|response|reply)\.(?:sendFile|download)$/.test(call.callee)) return null;
    const first = call.args[0];
    if (!first) return null;
    const second = NODE_FILE_TWO.test(name) ? call.args[1] : undefined;
    return { ...base, parts: [{ role: "file", value: first }, ...(second ? [{ role: "file" as const, value: second }] : [])] };
  }
  if (PY_FILE.test(name)) {
    const first = call.args[0] ?? kwarg(call, "file") ?? kwarg(call, "path") ?? kwarg(call, "path_or_file");
    if (!first) return null;
    const second = /(?:rename|replace|copy\w*|move)$/.test(name) ? call.args[1] : undefined;
    return { ...base, parts: [{ role: "file", value: first }, ...(second ? [{ role: "file" as const, value: second }] : [])] };
  }
  // `Path(p).read_text()`, `p.write_bytes(…)` where p is a Path: the receiver is the path.
  const method = methodOf(call);
  if (PATH_METHOD.test(`.${method}`) && call.receiver) {
    return { ...base, what: call.callee || `(${call.receiver.text.slice(0, 40)}).${method}`, parts: [{ role: "file", value: call.receiver }] };
  }
  return null;
}

/** The callees shellSink, fileSink or sqlSink can answer for, by the same tests on the name. */
function maySink(callee: string, resolved: string): boolean {
  // Without a callee, fileSink reads the method from the call's text.
  if (callee === "") return true;
  const name = resolved || callee;
  const unprefixed = name.replace(/^node:/, "");
  return (
    NODE_SHELL.test(unprefixed) ||
    PY_SHELL.test(unprefixed) ||
    NODE_SPAWN.test(unprefixed) ||
    PY_SUBPROCESS.test(unprefixed) ||
    NODE_FILE.test(name) ||
    /^(?:res|response|reply)\.(?:sendFile|download)$/.test(callee) ||
    PY_FILE.test(name) ||
    PATH_METHOD.test(`.${callee.slice(callee.lastIndexOf(".") + 1)}`) ||
    (SQL_METHOD.test(callee) && !NOT_SQL_RECEIVER.test(callee))
  );
}

// ---- SQL ----

const SQL_METHOD = /\.(?:query|execute|executemany|executescript|raw|unsafe|\$queryRawUnsafe|\$executeRawUnsafe|queryRaw|exec|run|all|get|prepare|sql|fetch|fetchrow|fetchval|fetchall)$/;
const NOT_SQL_RECEIVER = /^(?:res|response|app|router|this\.app|server|req|request|cache|headers|params|searchParams|map|env|os|axios|http|requests|httpx|client\.(?:get|post)|redis|kv|localStorage|sessionStorage)\./;
/** SQL text: a statement's words in their order, not merely one word that also means something else. */
const SQL_SHAPE = /\bselect\b[\s\S]*\bfrom\b|\binsert\s+into\b|\bupdate\s+[\w."`\[\]]+\s+set\b|\bdelete\s+from\b|\b(?:drop|alter|create|truncate)\s+(?:table|database|index|view|schema)\b|\bwhere\b[\s\S]*(?:=|\blike\b|\bin\b)/i;

function sqlSink(code: CodeFacts, call: CallFact): DangerSink | null {
  if (!SQL_METHOD.test(call.callee) || NOT_SQL_RECEIVER.test(call.callee) || call.tagged) return null;
  const sql = call.args[0] ?? kwarg(call, "query") ?? kwarg(call, "sql") ?? kwarg(call, "statement");
  if (!sql) return null;
  const built = builtSql(code, sql, call.fn);
  if (!built) return null;
  return { kind: "sql", fn: call.fn, path: call.path, line: call.line, call, what: call.callee, parts: built.map((value) => ({ role: "sql" as const, value })) };
}

/** The holes of SQL text built from pieces (template, f-string, concatenation, `.format`, `%`), or null when it is not. */
function builtSql(code: CodeFacts, v: Value, fn: FnId, depth = 0): Value[] | null {
  if (depth > 3) return null;
  const resolved = resolveLocal(code, v, fn);
  if (resolved.kind === "template") {
    const parts = expandPercentFormat(resolved.parts);
    const text = parts.map((p) => (p.kind === "string" ? p.value : " ? ")).join("");
    const holes = parts.filter((p) => p.kind !== "string");
    return holes.length > 0 && SQL_SHAPE.test(text) ? holes : null;
  }
  const call = code.callOf(resolved);
  if (call && call.callee.endsWith(".format") && call.receiver) {
    const receiver = resolveLocal(code, call.receiver, fn);
    if (receiver.kind === "string" && SQL_SHAPE.test(receiver.value)) return [...call.args, ...call.kwargs.map(([, value]) => value)];
  }
  // Several assignments to one name (`sql = "…"; sql += f" WHERE {x}"`): any built piece makes it built.
  if (resolved.kind === "ref" && !resolved.path.includes(".") && !code.paramOwner(fn, resolved.path)) {
    const bound = code.lookup(fn, resolved.path);
    if (bound.length > 1) {
      const holes = bound.flatMap((b) => builtSql(code, b, fn, depth + 1) ?? []);
      const anyText = bound.some((b) => (b.kind === "string" && SQL_SHAPE.test(b.value)) || b.kind === "template");
      return holes.length > 0 && anyText ? holes : null;
    }
  }
  return null;
}
