// How the server is reached: over stdio as a local subprocess of the client, or over HTTP. A stdio-only server runs on
// the user's machine with the user's own credentials; it takes no bearer tokens and links no accounts. Derived from
// calls and routes; no syntax tree is read here.
import type { CallFact } from "@/lib/core/facts";
import type { CodeFacts } from "./code";
import { kwarg, type Route } from "./http";
import { lastSegment } from "./tokens";

/** Calls that serve MCP over stdio: the SDKs' stdio transports. */
const STDIO = /^(?:StdioServerTransport|stdio_server|stdio_client|run_stdio_async|run_stdio)$/;
/** Calls that serve HTTP: MCP HTTP transports and handlers, web servers, ASGI apps. */
const HTTP = /^(?:StreamableHTTPServerTransport|WebStandardStreamableHTTPServerTransport|SSEServerTransport|createMcpHandler|withMcpAuth|listen|serve|createServer|streamable_http_app|sse_app|http_app|run_http_async|run_sse_async|run_streamable_http_async|SseServerTransport)$/;
const HTTP_MODULES = /^(?:uvicorn|hypercorn|fastapi|starlette|flask|express|hono|fastify|koa|next\/server)(?:[./]|$)/;

export interface Transports {
  stdio: boolean;
  http: boolean;
}

/** The callees transportsOf reads: stdio or HTTP transports by name, and `run`. */
function mayNameTransport(callee: string): boolean {
  const last = lastSegment(callee);
  return STDIO.test(last) || HTTP.test(last) || last === "run";
}

export function transportsOf(code: CodeFacts, routes: readonly Route[], served: (path: string) => boolean): Transports {
  let stdio = false;
  let http = routes.some((r) => served(r.path));
  for (const call of code.callsWhere(mayNameTransport)) {
    if (!served(call.path)) continue;
    const last = lastSegment(call.callee);
    if (STDIO.test(last)) stdio = true;
    else if (HTTP.test(last)) http = true;
    else if (last === "run" && isRunCall(call)) {
      // FastMCP's `mcp.run()` serves stdio unless a transport says otherwise.
      // The low-level `server.run(read, write, options)` is given its streams: it says nothing.
      const transport = kwarg(call, "transport") ?? call.args[0];
      if (transport === undefined || (transport.kind === "string" && transport.value === "stdio")) stdio = true;
      else if (transport.kind === "string" || kwarg(call, "transport") !== undefined) http = true;
    }
  }
  if (code.imports.some((i) => served(i.path) && HTTP_MODULES.test(i.module))) http = true;
  return { stdio, http };
}

function isRunCall(call: CallFact): boolean {
  return /^(?:mcp|server|app)\.run$/.test(call.callee);
}
