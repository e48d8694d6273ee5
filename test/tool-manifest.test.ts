// The tool manifest read from each fixture connector: one per declaration style, with file and line.
import { describe, expect, it } from "vitest";
import type { ToolDecl } from "@/lib/engine/parse/tools/types";
import { fixtureFiles, manifestOf } from "./support/connectors";

function byName(tools: ToolDecl[]): Record<string, ToolDecl> {
  return Object.fromEntries(tools.map((t) => [t.name, t]));
}

describe("tool manifest: one fixture per declaration style", () => {
  it("registerTool: constants, template literals, concatenation, spreads, helper-built _meta, imports, named handlers", async () => {
    const m = await manifestOf(fixtureFiles("ts-register-tool"));
    expect(m.tools.map((t) => [t.name, t.style, t.location.line])).toEqual([
      ["list_invoices", "registerTool", 29],
      ["get_invoice", "registerTool", 33],
      ["refund_invoice", "registerTool", 45],
      ["billing_summary", "registerTool", 57],
      // server.experimental.tasks.registerToolTask (MCP Tasks)
      ["export_invoices", "registerTool", 6],
    ]);
    expect(byName(m.tools).export_invoices!).toMatchObject({
      location: { path: "src/tasks.ts" },
      annotations: { readOnlyHint: true },
      inputSchema: { fields: [{ name: "year", type: "number" }] },
    });
    const t = byName(m.tools);
    expect(t.list_invoices!.description).toBe("Lists the customer's invoices in Acme Billing, newest first.");
    expect(t.list_invoices!.annotations).toEqual({ readOnlyHint: true, openWorldHint: false, idempotentHint: true });
    expect(t.list_invoices!.meta).toEqual({
      "openai/outputTemplate": "ui://widget/invoice.html",
      "openai/toolInvocation/invoking": "Listing invoices",
      securitySchemes: [{ type: "oauth2", scopes: ["billing.read"] }],
    });
    expect(t.list_invoices!.securitySchemes).toEqual([{ type: "oauth2", scopes: ["billing.read"] }]);
    expect(t.list_invoices!.inputSchema.fields).toEqual([
      { name: "status", type: "enum", optional: true },
      { name: "limit", type: "number", optional: true },
    ]);
    expect(t.get_invoice!.description).toBe("Looks up an invoice by its number.");
    expect(t.refund_invoice!.effects).toMatchObject({ httpWrites: ["POST"], outbound: true });
    expect(t.billing_summary!.description).toBeNull();
    expect(t.billing_summary!.dynamic).toEqual(["description"]);
    expect(t.billing_summary!.location.path).toBe("src/server.ts");
  });

  it("server.tool: every deprecated overload", async () => {
    const m = await manifestOf(fixtureFiles("ts-server-tool"));
    const t = byName(m.tools);
    expect(m.tools.map((x) => x.name)).toEqual(["ping", "server_time", "forecast", "alerts", "radar", "delete_saved_city"]);
    expect(m.tools.every((x) => x.style === "server.tool")).toBe(true);
    expect(t.ping!).toMatchObject({ description: null, annotations: null, inputSchema: { kind: "none" } });
    expect(t.server_time!.description).toBe("Returns the server's current time in UTC.");
    expect(t.forecast!.inputSchema.fields.map((f) => f.name)).toEqual(["city", "days"]);
    expect(t.forecast!.description).toBeNull();
    expect(t.alerts!).toMatchObject({ description: "Active weather alerts for a US state.", inputSchema: { fields: [{ name: "state" }] } });
    expect(t.radar!.annotations).toEqual({ readOnlyHint: true, openWorldHint: false });
    expect(t.radar!.inputSchema.fields.map((f) => f.name)).toEqual(["region"]);
    expect(t.delete_saved_city!).toMatchObject({
      location: { line: 25 },
      annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: false },
      description: "Removes a city from the user's saved list. Do not use unless the user asks to remove it.",
    });
  });

  it("registerAppTool and registerAppResource with MCP Apps ui.* metadata", async () => {
    const m = await manifestOf(fixtureFiles("ts-app-tool"));
    expect(m.tools.map((t) => [t.name, t.style, t.location.line])).toEqual([
      ["show_board", "registerAppTool", 27],
      ["move_card", "registerAppTool", 40],
    ]);
    expect(byName(m.tools).move_card!.meta).toMatchObject({
      "openai/widgetAccessible": true,
      ui: { resourceUri: "ui://kanban/board.html" },
    });
    expect(m.resources).toHaveLength(1);
    expect(m.resources[0]).toMatchObject({
      uri: "ui://kanban/board.html",
      name: "kanban-board",
      mimeType: "text/html;profile=mcp-app",
      meta: { ui: { csp: { connectDomains: ["https://api.kanban.example"] }, domain: "https://kanban.example" } },
      location: { path: "src/server.ts", line: 10 },
    });
    expect(m.widgetHosts.map((h) => [h.kind, h.host])).toEqual([["resource", "static.kanban.example"]]);
  });

  it("low-level Tool[] built with .map over a const list, _meta from a helper, dispatch by case", async () => {
    const m = await manifestOf(fixtureFiles("ts-lowlevel"));
    const t = byName(m.tools);
    expect(m.tools.map((x) => [x.name, x.style, x.location.line])).toEqual([
      ["list_files", "tools-array", 22],
      ["read_file", "tools-array", 30],
      ["delete_file", "tools-array", 37],
    ]);
    expect(t.list_files!.meta).toEqual({
      securitySchemes: [{ type: "oauth2", scopes: ["files.read"] }],
      "openai/outputTemplate": "ui://files/browser.html",
    });
    expect(t.read_file!.meta).toEqual({ securitySchemes: [{ type: "oauth2", scopes: ["files.read"] }] });
    expect(t.delete_file!.annotations).toEqual({ readOnlyHint: false, destructiveHint: true, openWorldHint: false });
    expect(t.delete_file!.inputSchema).toEqual({
      kind: "json-schema",
      fields: [{ name: "path", type: "string", optional: true }],
      open: false,
    });
    // The handler is the `case "delete_file":` branch of the CallTool dispatcher.
    expect(t.delete_file!.effects).toMatchObject({ deletes: true });
    expect(t.list_files!.effects).toMatchObject({ deletes: false });
    expect(m.resources).toEqual([
      expect.objectContaining({
        uri: "ui://files/browser.html",
        mimeType: "text/html+skybridge",
        meta: {
          "openai/widgetCSP": { connect_domains: ["https://files.example.com"], resource_domains: ["https://*.files-cdn.example"] },
          "openai/widgetDomain": "https://files.example.com",
        },
      }),
    ]);
  });

  it("mcp-handler routes", async () => {
    const m = await manifestOf(fixtureFiles("ts-mcp-handler"));
    expect(m.tools.map((t) => [t.name, t.style, t.location.path, t.location.line])).toEqual([
      ["roll_dice", "mcp-handler", "app/api/mcp/route.ts", 7],
      ["echo", "mcp-handler", "app/api/mcp/route.ts", 17],
    ]);
  });

  it("xmcp per-file metadata, named by the file when metadata has no name; a Next.js page's metadata is not a tool", async () => {
    const m = await manifestOf(fixtureFiles("ts-xmcp"));
    expect(m.tools.map((t) => [t.name, t.style, t.location.path, t.location.line])).toEqual([
      ["greet", "xmcp", "src/tools/greet.ts", 8],
      ["purge-cache", "xmcp", "src/tools/purge-cache.ts", 6],
    ]);
    const greet = byName(m.tools).greet!;
    expect(greet.title).toBe("Greet the user");
    expect(greet.meta).toEqual({ openai: { toolInvocation: { invoking: "Greeting…", invoked: "Greeted" } } });
    expect(greet.inputSchema.fields).toEqual([{ name: "name", type: "string", optional: false }]);
    expect(byName(m.tools)["purge-cache"]!.effects).toMatchObject({ httpWrites: ["DELETE"], deletes: true });
  });

  it("loops: constant data is unrolled into one tool per item; run-time data is one tool marked with its loop", async () => {
    const m = await manifestOf(fixtureFiles("ts-loop"));
    expect(m.tools.map((t) => [t.name, t.loop, t.location.line])).toEqual([
      ["get_churn_report", null, 13],
      ["get_sales_report", null, 13],
      ["{endpoint.name}", "endpoints", 26],
    ]);
    expect(byName(m.tools).get_sales_report!.title).toBe("Sales report");
    expect(byName(m.tools)["{endpoint.name}"]!.dynamic).toEqual(["name", "description"]);
  });

  it("Python FastMCP: docstrings, annotations dicts and ToolAnnotations, meta=, bare decorator, add_tool, resources", async () => {
    const m = await manifestOf(fixtureFiles("py-fastmcp"));
    const t = byName(m.tools);
    expect(m.tools.map((x) => [x.name, x.style, x.location.line])).toEqual([
      ["search_recipes", "fastmcp", 15],
      ["get_recipe", "fastmcp", 24],
      ["save_recipe", "fastmcp", 30],
      ["convert_units", "fastmcp", 40],
      ["remove_recipe", "fastmcp", 51],
      ["import_recipe", "fastmcp", 54],
    ]);
    expect(t.search_recipes!.description).toBe("Search recipes by ingredient or title.\n\nReturns at most `limit` recipe titles.");
    expect(t.search_recipes!.inputSchema.fields).toEqual([
      { name: "query", type: "string", optional: false },
      { name: "limit", type: "number", optional: true },
    ]);
    expect(t.get_recipe!).toMatchObject({
      annotations: { readOnlyHint: true, openWorldHint: false },
      meta: { "openai/outputTemplate": "ui://widget/recipe.html" },
    });
    // ctx: Context is injected by FastMCP, not an input.
    expect(t.get_recipe!.inputSchema.fields).toEqual([{ name: "recipe_id", type: "string", optional: false }]);
    expect(t.save_recipe!).toMatchObject({
      title: "Save recipe",
      description: "Saves a recipe to the user's cookbook. Do not use to overwrite an existing recipe.",
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    });
    expect(t.remove_recipe!.description).toBe("Deletes a recipe from the user's cookbook.");
    expect(t.import_recipe!.dynamic).toEqual(["description"]);
    expect(t.import_recipe!.inputSchema.fields).toEqual([
      { name: "url", type: "any", optional: false },
      { name: "options", type: "object(open)", optional: false },
    ]);
    expect(m.resources).toEqual([
      expect.objectContaining({
        uri: "ui://widget/recipe.html",
        mimeType: "text/html+skybridge",
        location: { path: "server.py", line: 61 },
      }),
    ]);
    expect(m.resources[0]!.meta?.["openai/widgetDomain"]).toBe("https://recipes.example");
  });

  it("Python low level: types.Tool list and an if/elif call_tool dispatcher", async () => {
    const m = await manifestOf(fixtureFiles("py-lowlevel"));
    expect(m.tools.map((t) => [t.name, t.style, t.location.line])).toEqual([
      ["get_ticket", "python-lowlevel", 16],
      ["close_ticket", "python-lowlevel", 23],
    ]);
    const close = byName(m.tools).close_ticket!;
    expect(close.description).toBe("Closes a support ticket. Do not use for tickets the user did not mention.");
    expect(close.annotations).toEqual({ readOnlyHint: false, destructiveHint: true });
    expect(close.securitySchemes).toEqual([{ type: "oauth2", scopes: ["tickets:write"] }]);
    expect(close.effects?.dbWrites).toBe(true);
    expect(byName(m.tools).get_ticket!.effects?.dbWrites).toBe(false);
    expect(byName(m.tools).get_ticket!.annotations).toEqual({ readOnlyHint: true, openWorldHint: false });
  });

  it("the demo connector: 4 tools, one widget, and the widget's undeclared host", async () => {
    const m = await manifestOf(fixtureFiles("../../../examples/demo-connector"));
    expect(m.tools.map((t) => t.name)).toEqual(["search_notes", "delete_note", "share_note", "import_from_url"]);
    expect(byName(m.tools).share_note!.description).toContain("\u200b");
    expect(m.resources.map((r) => r.uri)).toEqual(["ui://widget/notes.html"]);
    expect(m.widgetHosts.map((h) => [h.kind, h.host, h.location.path])).toEqual([
      ["connect", "analytics.acme-notes.example", "web/NotesWidget.tsx"],
      ["resource", "cdn.acme-notes.example", "src/widget-html.ts"],
    ]);
  });
});

describe("tool manifest: only what the server would list", () => {
  it("tests, fixtures, examples, docs and agent-framework Tools never produce tools; a testing/ module the server imports does", async () => {
    const m = await manifestOf(fixtureFiles("not-served"));
    expect(m.tools.map((t) => [t.name, t.location.path, t.location.line])).toEqual([
      ["list_notes", "pkg/server.py", 6],
      ["probe_notes_backend", "pkg/testing/probe.py", 4],
      ["create_note", "src/server.ts", 7],
      ["run_self_check", "src/testing/self-check.ts", 5],
    ]);
  });
});

describe("tool manifest: Python shapes read through the code that serves them", () => {
  it("FastMCP sub-servers mounted under a prefix: namespace=, prefix=, the positional form, import_server, nesting", async () => {
    const m = await manifestOf(fixtureFiles("py-mounted"));
    expect(m.tools.map((t) => [t.name, t.location.path, t.location.line])).toEqual([
      ["contacts_find_contact", "crm/servers/contacts.py", 6],
      ["contacts_delete_contact", "crm/servers/contacts.py", 12],
      ["deals_list_deals", "crm/servers/deals.py", 7],
      ["deals_forecast_quarter_forecast", "crm/servers/deals.py", 13],
      ["whoami", "crm/servers/main.py", 17],
      ["notes_add_note", "crm/servers/notes.py", 6],
    ]);
    // The prefix changes the name only: annotations and descriptions stay the sub-server's.
    expect(byName(m.tools).contacts_delete_contact!).toMatchObject({
      annotations: { readOnlyHint: false, destructiveHint: true },
      description: "Deletes a contact. Do not use unless the user names the contact.",
    });
    // tests/ mounts the same sub-server as "testing_…" and registers its own tool: neither is served.
    expect(m.tools.some((t) => t.name.startsWith("testing_") || t.name === "harness_only")).toBe(false);
  });

  it("low level: names from a str Enum in another module (.value too), match/case dispatch, pydantic input models", async () => {
    const m = await manifestOf(fixtureFiles("py-enum-lowlevel"));
    expect(m.tools.map((t) => [t.name, t.style, t.location.path, t.location.line])).toEqual([
      ["ledger_balance", "python-lowlevel", "ledger/server.py", 29],
      ["ledger_entries", "python-lowlevel", "ledger/server.py", 35],
      ["ledger_void_entry", "python-lowlevel", "ledger/server.py", 41],
      ["ledger_ping", "python-lowlevel", "ledger/server.py", 47],
    ]);
    const t = byName(m.tools);
    expect(t.ledger_balance!.annotations).toEqual({ readOnlyHint: true, openWorldHint: false });
    expect(t.ledger_entries!.inputSchema).toEqual({
      kind: "json-schema",
      fields: [
        { name: "account", type: "string", optional: false },
        { name: "limit", type: "number", optional: true },
      ],
      open: false,
    });
    expect(t.ledger_void_entry!.inputSchema.fields).toEqual([
      { name: "entry_id", type: "string", optional: false },
      { name: "reason", type: "string", optional: true },
    ]);
    expect(t.ledger_void_entry!.dynamic).toEqual([]);
    // The handler is the `case LedgerTool.VOID:` branch.
    expect(t.ledger_void_entry!.handler).toEqual({ path: "ledger/server.py", line: 59 });
    // Tool(**PING_SPEC, annotations=...): the constant dict's keys are the tool's fields.
    expect(t.ledger_ping!).toMatchObject({
      description: "Says whether the ledger answers.",
      annotations: { readOnlyHint: true },
      dynamic: [],
    });
    expect(t.ledger_void_entry!.effects).toMatchObject({ dbWrites: true, deletes: true });
    expect(t.ledger_balance!.effects).toMatchObject({ dbWrites: false, deletes: false });
  });

  it("FastMCP add_tool(Tool.from_function(fn, name=…)), imported functions, a Tool held in a variable, tool(fn), tool(...)(fn), loops over functions", async () => {
    const m = await manifestOf(fixtureFiles("py-add-tool"));
    expect(m.tools.map((t) => [t.name, t.style, t.location.line, t.handler?.path])).toEqual([
      ["list_schemas", "fastmcp", 32, "warehouse/server.py"],
      ["list_tables", "fastmcp", 33, "warehouse/queries.py"],
      ["run_select", "fastmcp", 34, "warehouse/queries.py"],
      ["get_table_stats", "fastmcp", 44, "warehouse/server.py"],
      ["export_table_to_bucket", "fastmcp", 45, "warehouse/server.py"],
      ["purge_query_cache", "fastmcp", 46, "warehouse/server.py"],
      // for fn in [archive_table, restore_table]: mcp.add_tool(fn)
      ["archive_table", "fastmcp", 60, "warehouse/server.py"],
      ["restore_table", "fastmcp", 60, "warehouse/server.py"],
      // for tool_name, handler in ALIASES.items(): mcp.tool(name=tool_name)(handler)
      ["describe_table", "fastmcp", 64, "warehouse/server.py"],
    ]);
    expect(byName(m.tools).restore_table!.description).toBe("Brings a table back from cold storage.");
    const t = byName(m.tools);
    expect(t.list_tables!.description).toBe("Lists the tables of a schema.");
    expect(t.list_tables!.inputSchema.fields).toEqual([{ name: "schema", type: "string", optional: true }]);
    expect(t.run_select!).toMatchObject({
      description: "Runs a read-only SELECT against the warehouse.",
      annotations: { readOnlyHint: true },
    });
    expect(t.purge_query_cache!.annotations).toEqual({ destructiveHint: true });
  });

  it("a FastMCP server whose list handler is replaced by hand serves the hand-built list, not its decorators", async () => {
    const m = await manifestOf(fixtureFiles("py-replaced-list"));
    // Widget tool named by a dataclass constant; registry keys minus the hidden set; decorated tools not listed.
    expect(m.tools.map((t) => [t.name, t.style, t.location.line])).toEqual([
      ["open_gallery", "python-lowlevel", 63],
      ["delete_photo", "python-lowlevel", 81],
      ["search_photos_v2", "python-lowlevel", 81],
    ]);
    const t = byName(m.tools);
    expect(t.open_gallery!).toMatchObject({
      title: "Photo gallery",
      annotations: { readOnlyHint: true },
      meta: { "openai/outputTemplate": "ui://widget/gallery.html", "openai/toolInvocation/invoking": "Opening the gallery…" },
      dynamic: [],
    });
    // Fields chosen per name inside the loop.
    expect(t.delete_photo!).toMatchObject({
      description: "Deletes a photo. Do not use unless the user asks to delete it.",
      annotations: { readOnlyHint: false, destructiveHint: true },
      handler: { path: "app.py", line: 40 },
      dynamic: [],
    });
    expect(t.search_photos_v2!).toMatchObject({
      description: "Runs search_photos_v2",
      annotations: { readOnlyHint: true },
      handler: { line: 36 },
    });
  });
});

describe("tool manifest: TypeScript shapes read through the code that serves them", () => {
  it("hand-written JSON-RPC: the tools/list branch's answer, from tool modules behind a barrel, a path alias and a namespace import", async () => {
    const m = await manifestOf(fixtureFiles("ts-jsonrpc"));
    // src/probe.ts asks another server for its tools/list: no tool of ours.
    expect(m.tools.map((t) => [t.name, t.style, t.location.path, t.location.line])).toEqual([
      ["calendar_today", "tools-array", "src/tools/calendar.ts", 4],
      ["notes_search", "tools-array", "src/tools/notes.ts", 4],
      ["notes_delete", "tools-array", "src/tools/notes.ts", 12],
    ]);
    const t = byName(m.tools);
    expect(t.notes_search!).toMatchObject({
      annotations: { readOnlyHint: true, openWorldHint: false },
      // `_meta` spread from a constant imported through the "@app/*" alias of tsconfig.json.
      meta: { securitySchemes: [{ type: "oauth2", scopes: ["notes.read"] }], "openai/outputTemplate": "ui://widget/notes.html" },
      inputSchema: { kind: "json-schema", fields: [{ name: "q", type: "string", optional: false }] },
      dynamic: [],
    });
    expect(t.calendar_today!.annotations).toEqual({ readOnlyHint: true, openWorldHint: false });
    // The handler is the one written in the tool's own object, even though the list maps it away.
    expect(t.notes_delete!.handler).toEqual({ path: "src/tools/notes.ts", line: 18 });
    expect(t.notes_delete!.effects).toMatchObject({ httpWrites: ["DELETE"], deletes: true });
  });

  it("hand-written JSON-RPC whose list comes from its caller: read at the served call; a dispatcher only tests call lists nothing", async () => {
    const m = await manifestOf(fixtureFiles("ts-jsonrpc-deps"));
    expect(m.tools.map((t) => [t.name, t.location.path, t.location.line, t.dynamic])).toEqual([
      ["weather_now", "src/catalog.ts", 2, []],
      ["weather_week", "src/catalog.ts", 3, []],
    ]);
  });

  it("loops over constant lists that call a registering helper: one tool per call, located at its definition", async () => {
    const m = await manifestOf(fixtureFiles("ts-helper-loop"));
    // test/define.test.ts calls the same helper: not served.
    expect(m.tools.map((t) => [t.name, t.style, t.location.path, t.location.line])).toEqual([
      ["tasks_list", "registerTool", "src/defs.ts", 5],
      ["tasks_complete", "registerTool", "src/defs.ts", 13],
      ["archive_purge", "registerTool", "src/defs.ts", 27],
      ["tasks_export", "registerTool", "src/server.ts", 10],
    ]);
    const t = byName(m.tools);
    expect(t.tasks_list!).toMatchObject({
      title: "List tasks",
      annotations: { readOnlyHint: true, destructiveHint: false },
      inputSchema: { kind: "zod", fields: [{ name: "project", optional: true }] },
      dynamic: [],
    });
    expect(t.archive_purge!.annotations).toEqual({ readOnlyHint: false, destructiveHint: true });
    expect(t.archive_purge!.effects).toMatchObject({ httpWrites: ["DELETE"], deletes: true });
    expect(t.tasks_complete!.handler).toEqual({ path: "src/defs.ts", line: 19 });
    expect(t.tasks_export!.inputSchema.fields.map((f) => f.name)).toEqual(["format"]);
  });

  it("tool objects: a TS enum, Object.values of a namespace import, class instances and subclasses, factories behind `export default`, a run-time filter", async () => {
    const m = await manifestOf(fixtureFiles("ts-tool-objects"));
    expect(m.tools.map((t) => [t.name, t.location.path, t.location.line, t.handler])).toEqual([
      // factoryTools(config).filter((t) => allowed(t, config)).forEach(…): the filter is decided at run time.
      ["refund_invoice", "src/factories.ts", 12, { path: "src/factories.ts", line: 12 }],
      ["get_invoice", "src/server.ts", 10, { path: "src/tools/plain.ts", line: 17 }],
      ["list_invoices", "src/server.ts", 10, { path: "src/tools/plain.ts", line: 9 }],
      ["void_invoice", "src/server.ts", 14, { path: "src/tools/void-invoice.ts", line: 16 }],
      // A base class registers this.name: one tool per concrete subclass, at its name.
      ["archive_invoice", "src/tools/registered.ts", 17, { path: "src/tools/registered.ts", line: 21 }],
      ["export_ledger", "src/tools/registered.ts", 28, { path: "src/tools/registered.ts", line: 31 }],
    ]);
    expect(byName(m.tools).export_ledger!.annotations).toEqual({ readOnlyHint: true });
    expect(byName(m.tools).archive_invoice!.effects).toMatchObject({ httpWrites: ["POST"] });
    expect(byName(m.tools).refund_invoice!).toMatchObject({
      annotations: { readOnlyHint: false, destructiveHint: false },
      dynamic: ["description"],
    });
    const t = byName(m.tools);
    expect(t.list_invoices!.inputSchema.fields.map((f) => f.name)).toEqual(["status"]);
    // Constructor argument, constructor assignments over the base class's field, a method bound as the handler.
    expect(t.void_invoice!).toMatchObject({
      description: "Voids an invoice in the eu ledger. Do not use unless the user asks to void it.",
      annotations: { readOnlyHint: false, destructiveHint: true },
      inputSchema: { kind: "zod", fields: [{ name: "id" }] },
      dynamic: [],
    });
    expect(t.void_invoice!.effects).toMatchObject({ httpWrites: ["DELETE"], deletes: true });
  });

  it("resources and templates built with .map over constant lists, in loops and through a helper; _meta spread from imports", async () => {
    const m = await manifestOf(fixtureFiles("ts-resources-map"));
    expect(m.resources.map((r) => [r.uri, r.mimeType, r.location.path, r.location.line])).toEqual([
      ["ui://widget/board.html", "text/html+skybridge", "src/lowlevel.ts", 7],
      ["ui://widget/card.html", "text/html+skybridge", "src/lowlevel.ts", 8],
      ["ui://panel/timeline.html", "text/html;profile=mcp-app", "src/sdk.ts", 6],
      ["ui://panel/people.html", "text/html;profile=mcp-app", "src/sdk.ts", 7],
      ["ui://panel/settings.html", "text/html+skybridge", "src/sdk.ts", 18],
    ]);
    expect(m.resources[0]!.meta).toEqual({
      "openai/widgetCSP": { connect_domains: ["https://api.boards.example"], resource_domains: ["https://cdn.boards.example"] },
      "openai/widgetDomain": "https://boards.example",
      "openai/widgetDescription": "Board widget",
    });
    expect(m.resources[2]!.html).toBe("<div id=root></div>");
    // A Map filled by a top-level forEach answers .get() in the tool's _meta.
    expect(m.tools.map((t) => [t.name, t.meta])).toEqual([
      ["show_board", { "openai/outputTemplate": "ui://widget/board.html", "openai/widgetAccessible": true }],
    ]);
  });
});

describe("tool manifest: widgets found by what serves them", () => {
  it("widget code: the project a resource's HTML is built from, the assets its HTML loads, MCP Apps spoken over postMessage", async () => {
    const m = await manifestOf(fixtureFiles("widget-code"));
    expect(m.resources.map((r) => r.uri)).toEqual(["ui://widget/gallery.html", "ui://widget/board.html"]);
    // Not the server's own upstream, a vite dev proxy, or a test's fetch.
    expect(m.widgetHosts.map((h) => [h.kind, h.host, h.location.path, h.location.line])).toEqual([
      ["connect", "telemetry.bridge.example", "bridge/app.ts", 9],
      ["connect", "api.board.example", "static-build/assets/board.js", 2],
      ["connect", "images.gallery.example", "gallery-app/src/Gallery.tsx", 6],
    ]);
  });

  it("xmcp serves a widget resource for each tool with _meta.openai or _meta.ui, carrying the widget keys", async () => {
    const m = await manifestOf(fixtureFiles("ts-xmcp-widgets"));
    expect(m.tools.map((t) => t.name)).toEqual(["ping", "show-map", "weather-card"]);
    expect(m.resources).toEqual([
      expect.objectContaining({
        uri: "ui://widget/show-map.html",
        name: "show-map",
        mimeType: "text/html+skybridge",
        meta: {
          "openai/widgetCSP": { connect_domains: ["https://tiles.maps.example"], resource_domains: ["https://cdn.maps.example"] },
          "openai/widgetDomain": "https://maps.example",
        },
        location: { path: "src/tools/show-map.ts", line: 4 },
      }),
      expect.objectContaining({
        uri: "ui://app/weather-card.html",
        mimeType: "text/html;profile=mcp-app",
        meta: { ui: { prefersBorder: true, csp: { connectDomains: ["https://api.weather.example"] } } },
        location: { path: "src/tools/weather-card.tsx", line: 4 },
      }),
    ]);
  });
});
