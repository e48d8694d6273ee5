// Tool inputs and request data followed to the places where they turn into an action, the way a reviewer traces
// them: the host of an outbound request (SSRF), a redirect target, a file path, a shell command, SQL text. The facts
// do the tracing (through helpers, across files) and find the checks made on the way; this judges what is left:
// which rule, how severe for how the server is reached (HTTP or only stdio), and one finding per sink function and
// per input.
import type { CallFact } from "@/lib/core/facts";
import type { Finding, Severity } from "@/lib/core/types";
import type { Facts } from "@/lib/engine/facts/container";
import type { DangerFlow } from "@/lib/engine/facts/data-flows";
import { isShippedPath } from "@/lib/engine/facts/roles";
import { codeFinding, finish, unreadableCode } from "./evidence";
import { listNames } from "./group";
import { rules } from "./flow-rules";
import type { Check, Rule } from "./types";

export { rules };

/** How the server is reached: over HTTP by anyone who can call it, or only as a process the user starts (stdio). */
type Deployment = "remote" | "local";

const MAX_RELATED = 12;
const HTTP_SERVING = ["StreamableHTTPServerTransport", "SSEServerTransport", "createMcpHandler", "streamable_http_app", "sse_app", "http_app", "listen"];
/** `serve` of an HTTP runtime or library; a repository's own `serve()` (often the stdio entry point) says nothing. */
const HTTP_SERVE = /^(?:Deno|Bun|@hono\/node-server|waitress|hypercorn\.asyncio)\.serve$/;
const STDIO_SERVING = ["StdioServerTransport", "stdio_server", "run_stdio_async"];

export const flowCheck: Check = {
  id: "flow",
  title: "Inputs don't reach request hosts, redirects, file paths, shell commands or SQL unchecked",
  section: "prompt-injection",
  rules: Object.values(rules),
  run(ctx) {
    const unreadable = unreadableCode(ctx);
    if (unreadable) return unreadable;
    const { facts, snapshot } = ctx;
    const deployment = deploymentOf(facts);
    const judged: Judged[] = [];
    for (const flow of facts.dangerFlows) {
      const verdict = judge(flow, deployment);
      if (verdict) judged.push({ ...verdict, flow });
    }
    const findings: Finding[] = [];
    for (const group of groupProblems(judged)) {
      const lead = group.reduce((a, b) => (rank(b.severity) > rank(a.severity) || (b.severity === a.severity && b.flow.sink.line < a.flow.sink.line) ? b : a));
      const flows = group.map((j) => j.flow);
      const sink = lead.flow.sink;
      const finding = codeFinding(lead.rule, {
        path: sink.path,
        line: sink.line,
        text: snapshot.text(sink.path) ?? "",
        message: messageOf(flows, lead.flow),
        severity: lead.severity,
        subject: `${sink.what}:${inputsOf(flows).join(",")}`,
      });
      // The other sinks, and where each input is handed to the helper that holds the sink (`runCommand(…, cwd)`).
      // For a value put into a URL's path, also the last hand-over: where the path is written, and the encoding goes.
      const entries = flows.flatMap((f) => (f.role === "url-path" ? [...f.path.steps.slice(-1), ...f.path.steps.slice(0, 1)] : f.path.steps.slice(0, 1)).map((step) => `${step.path}:${step.line}`));
      const related = [...new Set([...uniqueSinks(flows), ...entries])].filter((s) => s !== `${sink.path}:${sink.line}`).slice(0, MAX_RELATED);
      findings.push(related.length > 0 ? { ...finding, related: related.map(toLocation) } : finding);
    }
    return finish(findings);
  },
};

interface Judged {
  rule: Rule;
  severity: Severity;
  flow: DangerFlow;
}

/**
 * One problem per rule and sink function (a helper every tool calls is one fix), joined with the other places the
 * same named input reaches under the same rule (one unchecked `url` fetched twice is one fix too).
 */
function groupProblems(judged: readonly Judged[]): Judged[][] {
  const parent = judged.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  const firstByKey = new Map<string, number>();
  judged.forEach((j, i) => {
    const o = j.flow.path.origin;
    const input = o.kind === "tool-input" ? (o.field ? `tool:${o.tool}:${o.field}` : null) : o.name ? `request:${o.part}:${o.name}` : null;
    for (const key of [`fn:${j.flow.sink.fn}`, ...(input ? [input] : [])]) {
      const k = `${j.rule.id}\0${key}`;
      const seen = firstByKey.get(k);
      if (seen === undefined) firstByKey.set(k, i);
      else parent[root(i)] = root(seen);
    }
  });
  const groups = new Map<number, Judged[]>();
  judged.forEach((j, i) => (groups.get(root(i)) ?? groups.set(root(i), []).get(root(i))!).push(j));
  return [...groups.values()];
}

/** The rule and severity for one flow, or null when it is no finding (a value only in a URL's path, the server's own address). */
function judge(flow: DangerFlow, deployment: Deployment): { rule: Rule; severity: Severity } | null {
  const local = deployment === "local";
  const fromTool = flow.path.origin.kind === "tool-input";
  switch (flow.role) {
    case "host":
      if (isOwnAddress(flow)) return null;
      // A redirect sends the browser that made the request; a tool's input has no browser to send.
      if (flow.sink.kind === "redirect") return fromTool ? null : { rule: rules.openRedirect, severity: "moderate" };
      // Run on the user's machine, the request still comes from inside their network (localhost services, the LAN,
      // a cloud VM's metadata address) at the bidding of any text the model has read: no lower.
      return { rule: rules.ssrf, severity: "high" };
    case "url-path":
      // Below a fixed origin: the request stays with that API, but `../` or `?` in the value picks another endpoint.
      if (isOwnAddress(flow) || flow.sink.kind === "redirect") return null;
      return { rule: rules.ssrfPath, severity: "low" };
    case "header":
      return { rule: rules.headerInjection, severity: local ? "low" : "moderate" };
    case "file":
      return { rule: rules.pathTraversal, severity: local ? "moderate" : "high" };
    case "command":
      return { rule: rules.shellInjection, severity: local ? "high" : "critical" };
    case "program":
      return { rule: rules.shellInjection, severity: local ? "moderate" : "high" };
    case "arguments":
      return { rule: rules.shellInjection, severity: local ? "low" : "moderate" };
    case "cwd":
      // Build and test tools (npm, make, cargo) run what the directory they start in says: choosing it runs code.
      return { rule: rules.shellInjection, severity: local ? "moderate" : "high" };
    case "sql":
      return { rule: rules.sqlInjection, severity: local ? "moderate" : "high" };
    default:
      return null;
  }
}

/**
 * The server's own address as the request names it (`new URL(req.url).origin`, the Host header): building links and
 * calls back to itself from it is how servers find their public URL, not a caller choosing a destination. The query
 * of that URL is caller data like any other.
 */
function isOwnAddress(flow: DangerFlow): boolean {
  const o = flow.path.origin;
  return o.kind === "request" && (o.part === "host" || (o.part === "url" && !/^(?:searchParams|search|query|hash|query_params)$/.test(o.name ?? "")));
}

/**
 * Remote unless the code only serves over stdio: an HTTP transport, a route or a listening server makes it remote;
 * a stdio transport alone makes it a process on the user's own machine, where the model's choices still matter
 * (prompt injection) but no other caller reaches it.
 */
function deploymentOf(facts: Facts): Deployment {
  const shipped = (c: CallFact) => isShippedPath(facts.code, c.path);
  const named = (name: string) => facts.code.callsNamed(name).some(shipped);
  const httpServe = facts.code.callsNamed("serve").some((c) => shipped(c) && HTTP_SERVE.test(c.resolved || c.callee));
  let remote = httpServe || HTTP_SERVING.some(named) || facts.routes.some((r) => isShippedPath(facts.code, r.path));
  let local = STDIO_SERVING.some(named);
  for (const c of facts.code.callsNamed("run").filter(shipped)) {
    const served = runTransport(facts, c);
    if (served === "remote") remote = true;
    if (served === "local") local = true;
  }
  return local && !remote ? "local" : "remote";
}

/**
 * What a Python `run` call serves: FastMCP's `mcp.run()` is stdio unless given another transport, Flask's
 * `app.run()` and `uvicorn.run(app)` are HTTP; the low-level `server.run(read, write, options)` says nothing.
 */
function runTransport(facts: Facts, call: CallFact): Deployment | null {
  if (/^(?:uvicorn|hypercorn|waitress)\.run$/.test(call.resolved || call.callee)) return "remote";
  const transport = call.kwargs.find(([k]) => k === "transport")?.[1] ?? call.args[0];
  if (transport?.kind === "string") return transport.value === "stdio" ? "local" : "remote";
  if (transport !== undefined || !call.receiver || call.receiver.kind !== "ref") return null;
  const made = facts.code.lookup(call.fn, call.receiver.path).map((v) => facts.code.callOf(v)?.callee ?? "");
  if (made.some((m) => /(?:^|\.)FastMCP$/.test(m))) return "local";
  if (made.some((m) => /(?:^|\.)(?:Flask|Quart|FastAPI|Starlette)$/.test(m))) return "remote";
  return null;
}

/**
 * "The `url` input of fetch_page reaches the host of the URL of `fetch` (src/a.ts:9) through get(), with no check on
 * the way": the lead flow's inputs and sink, then the other uses of the same sink, then the check that doesn't hold.
 */
function messageOf(flows: readonly DangerFlow[], lead: DangerFlow): string {
  const sink = `\`${lead.sink.what}\` (${lead.sink.path}:${lead.sink.line})`;
  const helpers = [...new Set(lead.path.steps.map((s) => `${s.callee}()`))];
  const via = helpers.length > 0 ? ` through ${listNames(helpers, 3)}` : "";
  const here = flows.filter((f) => f.sink === lead.sink);
  const clause = (role: DangerFlow["role"], of: string) => {
    const inputs = inputsOf(here.filter((f) => f.role === role));
    return `${listNames(inputs, 4)} ${inputs.length === 1 ? "reaches" : "reach"} ${ROLE_WORDS[role] ?? ""}${of}`;
  };
  const otherRoles = [...new Set(here.map((f) => f.role))].filter((r) => r !== lead.role);
  let text = capital(clause(lead.role, sink)) + via + otherRoles.map((r) => `, and ${clause(r, "it")}`).join("");
  const weak = flows.map((f) => f.guard).find((g) => g !== null);
  text += weak ? `; the check \`${weak.text}\` (${weak.path}:${weak.line}) doesn't hold: ${weak.why}.` : ", with no check on the way.";
  const others = uniqueSinks(flows).length - 1;
  if (others > 0) text += ` The same goes for ${others} more place${others === 1 ? "" : "s"} (${listNames(inputsOf(flows.filter((f) => f.sink !== lead.sink)), 3)}).`;
  return text;
}

const ROLE_WORDS: Partial<Record<DangerFlow["role"], string>> = {
  host: "the host of the URL of ",
  "url-path": "the path of the URL of ",
  header: "the value of ",
  file: "the file path of ",
  command: "the command of ",
  program: "the program run by ",
  arguments: "the arguments of ",
  cwd: "the working directory of ",
  sql: "the SQL text of ",
};

/** The inputs of a group, in words: `the "url" input of fetch_page`, `request query "next"`. */
function inputsOf(flows: readonly DangerFlow[]): string[] {
  const names = new Set<string>();
  for (const f of flows) {
    const o = f.path.origin;
    if (o.kind === "tool-input") {
      const field = o.field ? `the "${o.field}" input` : "the input";
      // A dispatcher (`call_tool(name, arguments)`) serves every tool: the argument is named, the tool can't be.
      names.add(o.tool ? `${field} of ${o.tool}` : o.field ? `the "${o.field}" tool argument` : "the tool arguments");
    } else names.add(o.part === "any" ? "request data" : `request ${o.part}${o.name ? ` "${o.name}"` : ""}`);
  }
  return [...names];
}

function uniqueSinks(flows: readonly DangerFlow[]): string[] {
  return [...new Set(flows.map((f) => `${f.sink.path}:${f.sink.line}`))];
}

function toLocation(key: string): { path: string; line: number } {
  const at = key.lastIndexOf(":");
  return { path: key.slice(0, at), line: Number(key.slice(at + 1)) };
}

const ORDER: Severity[] = ["info", "low", "moderate", "high", "critical"];
function rank(s: Severity): number {
  return ORDER.indexOf(s);
}
function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
