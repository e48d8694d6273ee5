// HTTP entry point: Express with the MCP Streamable HTTP transport.
import express from "express";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { mountOAuthMetadata, requireBearer } from "./auth.js";
import { createServer } from "./server.js";

const app = express();
app.use(express.json());

// Deliberate: any origin, with credentials.
app.use((_req, res, next) => {
  res.setHeader("Access-Control-Allow-Origin", "*");
  res.setHeader("Access-Control-Allow-Credentials", "true");
  next();
});

const router = express.Router();
mountOAuthMetadata(router);
app.use(router);

app.post("/mcp", requireBearer, async (req, res) => {
  // Deliberate: logs the whole request body (tool arguments, prompts) and the authorization header.
  console.log("mcp request", req.body, req.headers.authorization);
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableDnsRebindingProtection: false,
  });
  const server = createServer();
  await server.connect(transport);
  await transport.handleRequest(req, res, req.body);
});

app.listen(Number(process.env.PORT ?? 8787));
