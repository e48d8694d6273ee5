// What each tool does, read from its handler and every repository function the handler reaches (through the call
// graph, bounded): the requests it makes (method and URL), database writes and deletes, file writes and deletes,
// shell commands, whether a URL the model chooses decides where a request goes, and whether it asks the user to
// confirm. This is the evidence behind annotation hints: "deletes: calls DELETE /notes/{id}".
import type { CallFact, FnId, Value } from "@/lib/core/facts";
import type { CodeFacts } from "./code";
import type { Flow } from "./flow";
import type { OutboundCall } from "./http";

export interface Effect {
  kind: "http-read" | "http-write" | "http-delete" | "db-write" | "db-delete" | "file-write" | "file-delete" | "shell" | "message" | "confirm";
  /** In words, for a justification: "DELETE {NOTES_API}/notes/{id}". */
  what: string;
  path: string;
  line: number;
}

export interface ToolBehaviour {
  /** The handler function, when it could be found. */
  handler: FnId | null;
  effects: Effect[];
  /** Hosts requests go to when the URL says so. */
  hosts: string[];
  /** A request URL (its host, not just a path) comes from the model's input. */
  userChosenUrl: boolean;
}

const MAX_FUNCTIONS = 200;
/** POST endpoints that read: searches, queries, and model calls change nothing of the user's. */
const READ_BY_POST = /(?:^|[/_.-])(?:search|query|queries|lookup|find|list|filter|graphql|embed\w*|complet\w*|chat|summar\w*|translat\w*|classif\w*|analy[sz]\w*|estimate|preview|validate|count)(?:$|[/_.?-])/i;
const SQL_WRITE = /\b(?:insert\s+into|update\s+[\w."`]+\s+set|replace\s+into|merge\s+into)\b/i;
const SQL_DELETE = /\b(?:delete\s+from|drop\s+(?:table|database|schema)|truncate)\b/i;
const ORM_DELETE = /\.(?:delete|deleteOne|deleteMany|destroy|remove|findOneAndDelete|findByIdAndDelete|deleteFrom)$/;
const ORM_WRITE = /\.(?:insert|insertOne|insertMany|insertInto|create|createMany|update|updateOne|updateMany|upsert|save|bulkWrite|findOneAndUpdate|findByIdAndUpdate|replaceOne|add|merge|put|set|hset|lpush|rpush|sadd|zadd)$/;
const DB_RECEIVER = /(?:^|\.)(?:db|database|prisma|knex|tx|trx|session|collection|model|repo|repository|store|table|client|redis|kv|supabase|firestore|dynamo|mongo|pool|conn|connection|cursor|sql|orm|em|entityManager|\w+Model|\w+Repo|\w+Repository|\w+Store|\w+Table|\w+Collection)$/i;
const FILE_WRITE = /^(?:fs(?:\.promises)?|fs\/promises|fs-extra)\.(?:writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|rename|renameSync|copyFile|mkdir|mkdirSync)$|\.(?:write_text|write_bytes)$/;
const FILE_DELETE = /^(?:fs(?:\.promises)?|fs\/promises|fs-extra)\.(?:unlink|unlinkSync|rm|rmSync|rmdir|rmdirSync)$|^(?:os\.remove|os\.unlink|os\.rmdir|shutil\.rmtree)$|\.unlink$/;
const SHELL = /^(?:child_process\.(?:exec|execSync|spawn|spawnSync|execFile|execFileSync)|execa|os\.system|os\.popen|subprocess\.\w+|asyncio\.create_subprocess_(?:shell|exec))$/;
const MESSAGE = /(?:^|\.)(?:sendMail|sendEmail|send_email|send_message|sendMessage|postMessage|chat\.postMessage|messages\.create|emails\.send|publish|notify|tweet|createPost|create_post)$/;
const CONFIRM = /(?:^|\.)(?:elicitInput|elicit|elicitation|request_confirmation|confirm)$/;

/** Outbound requests by the function they are made in, as positions in `outbound`: built once for every tool. */
export function requestsByFunction(outbound: readonly OutboundCall[]): ReadonlyMap<FnId, readonly number[]> {
  const out = new Map<FnId, number[]>();
  for (const [i, o] of outbound.entries()) {
    if (o.kind !== "request") continue;
    const list = out.get(o.fn);
    if (list) list.push(i);
    else out.set(o.fn, [i]);
  }
  return out;
}

export function toolBehaviour(
  code: CodeFacts,
  flow: Flow,
  outbound: readonly OutboundCall[],
  handler: FnId | null,
  requests: ReadonlyMap<FnId, readonly number[]> = requestsByFunction(outbound),
): ToolBehaviour {
  if (handler === null) return { handler, effects: [], hosts: [], userChosenUrl: false };
  const reachable = reach(code, handler);
  const effects: Effect[] = [];
  const hosts = new Set<string>();
  let userChosenUrl = false;
  // The requests made in the functions the handler reaches, in the order they were found.
  const made = [...reachable].flatMap((fn) => requests.get(fn) ?? []).sort((a, b) => a - b);
  for (const i of made) {
    const o = outbound[i]!;
    const url = o.url ? urlText(o.url) : "(a URL)";
    const method = o.method ?? "GET";
    const kind = method === "DELETE" ? "http-delete" : method === "GET" || method === "HEAD" || (method === "POST" && READ_BY_POST.test(url)) ? "http-read" : "http-write";
    effects.push({ kind, what: `${method} ${url}`, path: o.path, line: o.line });
    const host = o.url ? staticHost(o.url) : null;
    if (host) hosts.add(host);
    if (o.url && urlFromInput(o.url, o.fn, flow)) userChosenUrl = true;
  }
  effects.push(...replacesAsWrites([...reachable].flatMap((id) => code.fn(id).calls.map((c) => code.calls[c]!))));
  return { handler, effects: dedupe(effects), hosts: [...hosts].sort(), userChosenUrl };
}

/** The handler and every repository function it reaches, breadth first, bounded. */
function reach(code: CodeFacts, start: FnId): Set<FnId> {
  const seen = new Set<FnId>([start]);
  const queue = [start];
  while (queue.length > 0 && seen.size < MAX_FUNCTIONS) {
    const fn = code.fn(queue.shift()!);
    for (const callId of fn.calls) {
      const call = code.calls[callId]!;
      const targets = call.target !== null ? [call.target] : [];
      // Callbacks passed in (`items.map(fn)`, `withRetry(() => …)`) run too.
      for (const a of call.args) if (a.kind === "function") targets.push(a.fn);
      for (const t of targets) {
        if (seen.has(t)) continue;
        seen.add(t);
        queue.push(t);
      }
    }
    // Functions written inside the handler run as part of it.
    for (const inner of code.childrenOf(fn.id)) {
      if (seen.has(inner)) continue;
      seen.add(inner);
      queue.push(inner);
    }
  }
  return seen;
}

/**
 * The effects of the calls a tool reaches. Rows deleted and inserted again into the same table are a replacement (an
 * update that rewrites a profile's child rows), a write rather than a delete.
 */
function replacesAsWrites(calls: readonly CallFact[]): Effect[] {
  const effects = calls.map((call) => ({ call, effect: callEffect(call) }));
  const inserted = new Set(effects.flatMap(({ call, effect }) => (effect?.kind === "db-write" ? [tableOf(call)] : [])).filter((t) => t !== null));
  return effects.flatMap(({ call, effect }) => {
    if (!effect) return [];
    const table = effect.kind === "db-delete" ? tableOf(call) : null;
    return table !== null && inserted.has(table) ? [{ ...effect, kind: "db-write" as const, what: `replaces ${table} rows (${effect.what})` }] : [effect];
  });
}

/** The table a database call works on: an ORM call's first argument, or the table after FROM/INTO/UPDATE in SQL. */
function tableOf(call: CallFact): string | null {
  const first = call.args[0];
  if (!first) return null;
  if (first.kind === "string" || first.kind === "template") {
    const sql = first.kind === "string" ? first.value : first.parts.map((p) => (p.kind === "string" ? p.value : "?")).join("");
    return /\b(?:from|into|update)\s+([\w."`]+)/i.exec(sql)?.[1]?.replace(/["`]/g, "").toLowerCase() ?? null;
  }
  return first.kind === "ref" ? first.path : null;
}

function callEffect(call: CallFact): Effect | null {
  const name = call.resolved || call.callee;
  const at = { path: call.path, line: call.line };
  const receiver = call.callee.slice(0, Math.max(0, call.callee.lastIndexOf(".")));
  const sql = call.args.map((a) => (a.kind === "string" ? a.value : a.kind === "template" ? a.parts.map((p) => (p.kind === "string" ? p.value : "?")).join("") : "")).join(" ");
  if (SQL_DELETE.test(sql)) return { kind: "db-delete", what: `SQL ${firstWords(sql)}`, ...at };
  if (SQL_WRITE.test(sql)) return { kind: "db-write", what: `SQL ${firstWords(sql)}`, ...at };
  if (FILE_DELETE.test(name)) return { kind: "file-delete", what: name, ...at };
  if (FILE_WRITE.test(name)) return { kind: "file-write", what: name, ...at };
  if (SHELL.test(name)) return { kind: "shell", what: name, ...at };
  if (CONFIRM.test(call.callee)) return { kind: "confirm", what: call.callee, ...at };
  if (MESSAGE.test(call.callee)) return { kind: "message", what: call.callee, ...at };
  if (receiver && DB_RECEIVER.test(receiver.replace(/\(\)/g, ""))) {
    if (ORM_DELETE.test(call.callee)) return { kind: "db-delete", what: call.callee, ...at };
    if (ORM_WRITE.test(call.callee)) return { kind: "db-write", what: call.callee, ...at };
  }
  return null;
}

/** A URL as a reader would write it: constants as they are, everything else as `{name}`. */
export function urlText(v: Value): string {
  if (v.kind === "string") return v.value;
  if (v.kind === "template") return v.parts.map((p) => (p.kind === "string" ? p.value : `{${holeName(p)}}`)).join("").slice(0, 160);
  return `{${holeName(v)}}`;
}

function holeName(v: Value): string {
  if (v.kind === "ref") return v.path.split(".").slice(-1)[0]!;
  if (v.kind === "call") {
    // `encodeURIComponent(query)`, `String(source.url)`: the value inside is what the reader wants to see.
    const inner = /^[\w$.]+\(\s*([\w$.]+)\s*\)$/.exec(v.text)?.[1];
    return (inner ?? v.text.replace(/\(.*$/s, "")).split(".").slice(-1)[0] || "value";
  }
  return v.text.slice(0, 30);
}

function staticHost(v: Value): string | null {
  const text = v.kind === "string" ? v.value : v.kind === "template" && v.parts[0]?.kind === "string" ? v.parts[0].value : null;
  const m = text ? /^https?:\/\/([^/:?#\s]+)/i.exec(text) : null;
  return m ? m[1]!.toLowerCase() : null;
}

/** The model's input decides where the request goes: the URL starts with it (not a fixed origin with an input path). */
function urlFromInput(v: Value, fn: FnId, flow: Flow): boolean {
  const head = v.kind === "template" ? v.parts[0] : v;
  if (!head || head.kind === "string") return false;
  return flow.origins(head, fn).some((o) => o.kind === "tool-input");
}

function firstWords(sql: string): string {
  return sql.replace(/\s+/g, " ").trim().split(" ").slice(0, 4).join(" ");
}

function dedupe(effects: Effect[]): Effect[] {
  const seen = new Set<string>();
  return effects.filter((e) => {
    const key = `${e.kind}:${e.what}:${e.path}:${e.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
