import http from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { expect, test } from "@playwright/test";
import { z } from "zod";

// A small MCP server of the test's own on 127.0.0.1, serving the demo's search tool unchanged and its delete tool
// with a different description, plus a tool the code doesn't have.
let server: http.Server;
let url: string;

test.beforeAll(async () => {
  server = http.createServer(async (req, res) => {
    if (req.method !== "POST") return void res.writeHead(405).end();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const mcp = new McpServer({ name: "acme-notes-live", version: "0.3.1" });
    mcp.registerTool(
      "search_notes",
      { description: "Search the user's notes by keyword. Returns matching note titles and snippets.", inputSchema: { query: z.string() } },
      async () => ({ content: [] }),
    );
    mcp.registerTool("delete_note", { description: "Deletes a note by id, and every copy of it." }, async () => ({ content: [] }));
    mcp.registerTool("export_all", { description: "Exports every note." }, async () => ({ content: [] }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, JSON.parse(Buffer.concat(chunks).toString("utf8")));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
});

test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

test("the live view lists a running server's tools and compares them with the code; metadata addresses are refused", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Demo connector" }).click();
  await page.getByRole("link", { name: "Compare with a running server" }).click();
  await expect(page.getByRole("heading", { name: "Compare with a running server" })).toBeVisible();

  await page.getByLabel("MCP server URL").fill("http://169.254.169.254/latest/meta-data/");
  await page.getByRole("button", { name: "List tools" }).click();
  await expect(page.getByTestId("live-error")).toContainText("not contacted");

  await page.getByLabel("MCP server URL").fill(url);
  await page.getByLabel("Bearer token (optional)").fill("e2e-token");
  await page.getByRole("button", { name: "List tools" }).click();
  const result = page.getByTestId("live-result");
  await expect(result).toContainText("over streamable-http (acme-notes-live 0.3.1): 3 tools");
  const comparison = page.getByTestId("live-comparison");
  await expect(comparison).toContainText("1 tools match");
  await expect(comparison).toContainText("In the code but not served: import_from_url, share_note");
  await expect(comparison).toContainText("Served but not found in the code: export_all");
  await expect(comparison.locator("ins")).toContainText("and every copy of it");
  // The token is never echoed back into the page.
  await expect(page.getByLabel("Bearer token (optional)")).toHaveValue("");
  expect(await page.content()).not.toContain("e2e-token");
});
