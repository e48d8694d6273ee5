// What a tool handler does, read from its code text (TypeScript or Python): writes, deletes, outbound calls, shell,
// and input values that reach URLs, paths, shell commands or SQL. Patterns are bounded so hostile code stays linear.
import type { HandlerEffects } from "./types";

/** Handler code longer than this is cut: effects come from the first part only. */
const MAX_CODE = 200_000;

const HTTP_METHOD = /\bmethod\s{0,5}[:=]\s{0,5}["'`](POST|PUT|PATCH|DELETE)["'`]/gi;
const HTTP_CLIENT_WRITE =
  /\b(?:axios|got|ky|superagent|requests|httpx|http|https|api|apiClient|client|session|fetcher|rest|request)\s{0,3}\.\s{0,3}(post|put|patch|delete)\s{0,3}\(/gi;
const SQL_WRITE =
  /\b(INSERT\s{1,5}INTO|UPDATE\s{1,5}[\w."`]{1,64}\s{1,5}SET|DELETE\s{1,5}FROM|DROP\s{1,5}(?:TABLE|DATABASE|SCHEMA)|TRUNCATE\b|ALTER\s{1,5}TABLE)/i;
const SQL_DELETE = /\b(DELETE\s{1,5}FROM|DROP\s{1,5}(?:TABLE|DATABASE|SCHEMA)|TRUNCATE\b)/i;
const ORM_WRITE =
  /\.(?:insert|insertOne|insertMany|insertInto|updateOne|updateMany|upsert|deleteOne|deleteMany|deleteFrom|destroy|createMany|bulkWrite|findOneAndUpdate|findOneAndDelete|findByIdAndDelete|findByIdAndUpdate|replaceOne)\s{0,3}\(|\bprisma\.\w{1,64}\.(?:create|update|delete|upsert)\w{0,10}\s{0,3}\(|\b(?:db|tx|trx|database|knex)\s{0,2}\.\s{0,2}(?:insert|update|delete)\s{0,2}\(|\bsession\.(?:add|delete|merge)\s{0,2}\(/;
const ORM_DELETE =
  /\.(?:deleteOne|deleteMany|deleteFrom|destroy|findOneAndDelete|findByIdAndDelete)\s{0,3}\(|\bprisma\.\w{1,64}\.delete\w{0,10}\s{0,3}\(|\b(?:db|tx|trx|database|knex)\s{0,2}\.\s{0,2}delete\s{0,2}\(|\bsession\.delete\s{0,2}\(/;
const FILE_DELETE =
  /\b(?:fs|fsp|fse|promises)\s{0,2}\.\s{0,2}(?:unlink|unlinkSync|rm|rmSync|rmdir|rmdirSync)\s{0,2}\(|\bos\.(?:remove|unlink|rmdir)\s{0,2}\(|\bshutil\.rmtree\s{0,2}\(|\.unlink\(\s{0,2}\)/;
const FILE_WRITE =
  /\b(?:fs|fsp|fse|promises)\s{0,2}\.\s{0,2}(?:writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|rename|renameSync|copyFile|mkdir)\s{0,2}\(|(?<![.\w])(?:writeFile|writeFileSync|appendFile)\s{0,2}\(|\bopen\s{0,2}\([^)\n]{0,200}["'](?:w|a|wb|ab|x|w\+|a\+)["']|\.write_(?:text|bytes)\s{0,2}\(/;
const SHELL =
  /(?<![.\w])(?:exec|execSync|execFile|execFileSync|spawn|spawnSync|execa)\s{0,2}\(|\b(?:child_process|cp|childProcess)\.(?:exec|execSync|spawn|spawnSync|execFile)\s{0,2}\(|\bos\.(?:system|popen)\s{0,2}\(|\bsubprocess\.(?:run|call|Popen|check_output|check_call)\s{0,2}\(/;
const OUTBOUND =
  /(?<![.\w])fetch\s{0,2}\(|\b(?:axios|got|ky|superagent|undici|requests|httpx|aiohttp|urlopen)\b|\bhttps?\.(?:request|get)\s{0,2}\(/;
const CONFIRMATION = /\belicit(?:Input|ation)?\b|\.elicit\s{0,2}\(|\bconfirm(?:ed|ation)?\b|\bdry_?run\b/i;

const SINKS: Array<{ kind: "url" | "path" | "shell" | "sql"; pattern: RegExp }> = [
  {
    kind: "url",
    pattern:
      /(?<![.\w])fetch\s{0,2}\(|\baxios(?:\.(?:get|post|put|patch|delete|request))?\s{0,2}\(|(?<![.\w])got\s{0,2}\(|\bhttps?\.(?:get|request)\s{0,2}\(|\b(?:requests|httpx)\.(?:get|post|put|patch|delete|request)\s{0,2}\(|\burlopen\s{0,2}\(|\bnew\s{1,3}URL\s{0,2}\(/g,
  },
  {
    kind: "path",
    pattern:
      /\b(?:readFile|readFileSync|writeFile|writeFileSync|createReadStream|createWriteStream|readdir|readdirSync|unlink|unlinkSync|rmSync|sendFile|send_file)\s{0,2}\(|\b(?:path|os\.path)\.(?:join|resolve)\s{0,2}\(|(?<![.\w])(?:open|Path)\s{0,2}\(/g,
  },
  {
    kind: "shell",
    pattern:
      /(?<![.\w])(?:exec|execSync|execFile|execFileSync|spawn|spawnSync|execa)\s{0,2}\(|\bos\.(?:system|popen)\s{0,2}\(|\bsubprocess\.(?:run|call|Popen|check_output|check_call)\s{0,2}\(/g,
  },
  { kind: "sql", pattern: /\.(?:query|raw|execute|executemany|unsafe|\$queryRawUnsafe|\$executeRawUnsafe)\s{0,2}\(/g },
];

const SQL_KEYWORD = /\b(?:SELECT|INSERT|UPDATE|DELETE|DROP|WHERE|FROM)\b/i;

const DELETED_TABLE = /\bDELETE\s{1,5}FROM\s{1,5}([\w."`]{1,64})|\b(?:db|tx|trx|database|knex)\s{0,2}\.\s{0,2}delete\s{0,2}\(\s{0,3}([\w.$]{1,64})/gi;
const INSERTED_TABLE = /\bINSERT\s{1,5}INTO\s{1,5}([\w."`]{1,64})|\b(?:db|tx|trx|database|knex)\s{0,2}\.\s{0,2}insert\s{0,2}\(\s{0,3}([\w.$]{1,64})/gi;
const DROP_OR_TRUNCATE = /\b(?:DROP\s{1,5}(?:TABLE|DATABASE|SCHEMA)|TRUNCATE)\b/i;

/**
 * Code that deletes rows. Rows deleted and inserted again into the same table (an update that rewrites a profile's
 * child rows, in SQL or through a query builder) are a replacement, a write rather than a delete.
 */
function deletesRows(code: string): boolean {
  if (!SQL_DELETE.test(code) && !ORM_DELETE.test(code)) return false;
  const table = (m: RegExpMatchArray) => (m[1] ?? m[2]!).replace(/["`]/g, "").toLowerCase();
  const deleted = [...code.matchAll(DELETED_TABLE)].map(table);
  const inserted = new Set([...code.matchAll(INSERTED_TABLE)].map(table));
  // A delete the patterns above can't name a table for (deleteMany, destroy, prisma's delete) stays a delete.
  const unnamed = code.replace(DELETED_TABLE, "");
  if (DROP_OR_TRUNCATE.test(code) || SQL_DELETE.test(unnamed) || ORM_DELETE.test(unnamed)) return true;
  return deleted.some((t) => !inserted.has(t));
}

export function noEffects(): HandlerEffects {
  return {
    httpWrites: [],
    dbWrites: false,
    deletes: false,
    fileWrites: false,
    shell: false,
    outbound: false,
    sinks: [],
    confirmation: false,
  };
}

/** Effects of handler code; `fields` are the input names whose flow into sinks is traced. */
export function effectsOf(rawCode: string, fields: readonly string[]): HandlerEffects {
  const code = rawCode.length > MAX_CODE ? rawCode.slice(0, MAX_CODE) : rawCode;
  const httpWrites = new Set<string>();
  for (const m of code.matchAll(HTTP_METHOD)) httpWrites.add(m[1]!.toUpperCase());
  for (const m of code.matchAll(HTTP_CLIENT_WRITE)) httpWrites.add(m[1]!.toUpperCase());
  const sqlWrite = SQL_WRITE.test(code);
  const effects: HandlerEffects = {
    httpWrites: [...httpWrites].sort(),
    dbWrites: sqlWrite || ORM_WRITE.test(code),
    deletes: httpWrites.has("DELETE") || deletesRows(code) || FILE_DELETE.test(code),
    fileWrites: FILE_WRITE.test(code) || FILE_DELETE.test(code),
    shell: SHELL.test(code),
    outbound: OUTBOUND.test(code),
    sinks: [],
    confirmation: CONFIRMATION.test(code),
  };
  const names = [...new Set(fields.filter((f) => /^[A-Za-z_$][\w$]{0,63}$/.test(f)))];
  if (names.length === 0) return effects;
  const fieldPattern = new RegExp(`(?<![\\w$])(${names.map(escapeRegExp).join("|")})(?![\\w$])`, "g");
  const seen = new Set<string>();
  for (const { kind, pattern } of SINKS) {
    for (const m of code.matchAll(pattern)) {
      const args = argumentText(code, (m.index ?? 0) + m[0].length);
      if (kind === "sql" && !(SQL_KEYWORD.test(args) && /\$\{|["'`]\s{0,3}\+|\+\s{0,3}["'`]|\bf["']|%\s{0,3}[(\w]|\.format\(/.test(args)))
        continue;
      for (const fm of args.matchAll(fieldPattern)) {
        const field = fm[1]!;
        if (seen.has(`${kind}:${field}`)) continue;
        seen.add(`${kind}:${field}`);
        effects.sinks.push({
          kind,
          field,
          excerpt: `${m[0]}${args}`.replace(/\s+/g, " ").slice(0, 160),
          originFromInput: kind === "url" && originFromInput(args, field),
        });
      }
    }
  }
  return effects;
}

/** The URL argument starts with the input value (`fetch(url)`, `fetch(String(args.url))`, `` fetch(`${url}/x`) ``). */
function originFromInput(args: string, field: string): boolean {
  let a = args.trimStart();
  for (let i = 0; i < 5; i++) {
    const stripped = a.replace(
      /^(?:await\s{1,3}|String\s{0,2}\(\s{0,2}|new\s{1,3}URL\s{0,2}\(\s{0,2}|encodeURI\s{0,2}\(\s{0,2}|str\s{0,2}\(\s{0,2}|`\$\{\s{0,2}|f["']\{)/,
      "",
    );
    if (stripped === a) break;
    a = stripped;
  }
  const head = /^[\w$.]{1,120}/.exec(a)?.[0] ?? "";
  return head.split(".").includes(field);
}

/** The text of a call's arguments, from just after "(" to the matching ")" (bounded). */
function argumentText(code: string, start: number): string {
  let depth = 1;
  const end = Math.min(code.length, start + 400);
  for (let i = start; i < end; i++) {
    const c = code[i];
    if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return code.slice(start, i);
  }
  return code.slice(start, end);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
