import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ConnectorPage } from "./pages/connector-page";
import { RegisterPage } from "./pages/register-page";
import { ToolsTab } from "./pages/tools-tab";

// A copy of the demo connector under the app's local root, so the test can change a tool between two scans.
const copyRoot = path.resolve(__dirname, "..", "examples", ".e2e-tools");
const copy = path.join(copyRoot, "acme");
const server = path.join(copy, "src", "server.ts");

test.beforeAll(() => {
  fs.rmSync(copyRoot, { recursive: true, force: true });
  fs.cpSync(path.resolve(__dirname, "..", "examples", "demo-connector"), copy, { recursive: true });
});
test.afterAll(() => fs.rmSync(copyRoot, { recursive: true, force: true }));

test("the demo's tools and their problems show on the scan page, and a changed description shows as a word diff", async ({ page }) => {
  const register = new RegisterPage(page);
  await register.open();
  await register.register({ name: "Acme Notes (tools e2e)", path: ".e2e-tools/acme" });
  await expect(page.getByRole("heading", { name: "Acme Notes (tools e2e)" })).toBeVisible();
  const connector = new ConnectorPage(page);
  await connector.openLatestScan();

  // Checklist: the tool and widget findings, with file and line.
  await expect(page.getByTestId("finding").filter({ hasText: "tool-annotations/read-only-but-writes" })).toContainText("src/server.ts:52");
  await expect(page.getByTestId("finding").filter({ hasText: "tool-descriptions/invisible-characters" })).toContainText("U+200B");
  await expect(page.getByTestId("finding").filter({ hasText: "tool-input/any-type" })).toContainText("src/server.ts:86");
  await expect(page.getByTestId("finding").filter({ hasText: "tool-scopes/noauth-write" })).toContainText("share_note");
  await expect(page.getByTestId("finding").filter({ hasText: "widget-csp/undeclared-host" })).toContainText("web/NotesWidget.tsx:16");
  await expect(page.locator('[id="prompt-injection.annotations"]')).toHaveAttribute("data-status", "fail");
  await expect(page.locator('[id="network.widget-csp"]')).toHaveAttribute("data-status", "fail");

  const tools = new ToolsTab(page);
  await tools.open();
  await expect(tools.rows()).toHaveCount(4);
  await expect(tools.row("delete_note")).toContainText("read-only: true");
  await expect(tools.row("delete_note")).toContainText("oauth2 (notes.write)");
  await expect(tools.row("share_note")).toContainText("⟦U+200B⟧");
  await expect(tools.row("share_note")).toContainText("noauth | oauth2 (notes.write)");
  await expect(tools.row("import_from_url")).toContainText("source: any");
  const widget = page.locator('[data-testid="widget-row"][data-uri="ui://widget/notes.html"]');
  await expect(widget).toContainText("http://cdn.acme-notes.example");
  await expect(widget).toContainText("none");
  await expect(tools.changes()).toContainText("first successful scan");

  // Change one description and scan again.
  fs.writeFileSync(
    server,
    fs.readFileSync(server, "utf8").replace('"Deletes a note by id."', '"Deletes a note by id. Do not use to archive notes."'),
  );
  await page.getByRole("link", { name: "Acme Notes (tools e2e)" }).click();
  await expect(page.getByRole("button", { name: "Scan now" })).toBeEnabled({ timeout: 60_000 });
  await page.getByRole("button", { name: "Scan now" }).click();
  await expect(connector.scanRows()).toHaveCount(2);
  await connector.openLatestScan();
  await tools.open();
  await expect(tools.changes()).toContainText(/Changes since scan #\d+/);
  await expect(tools.changes()).toContainText("0 added, 0 removed, 1 changed, 3 unchanged");
  const change = tools.change("delete_note");
  await expect(change).toHaveAttribute("data-kind", "changed");
  await expect(change.locator('[data-field="description"] ins')).toHaveText("Do not use to archive notes.");
  await expect(change.locator('[data-field="description"] del')).toHaveCount(0);
});
