import { expect, test } from "./fixtures";
import { ConnectorPage } from "./pages/connector-page";
import { RegisterPage } from "./pages/register-page";

test("the first page shows the bundled demo connector, already scanned", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Connectors", exact: true })).toBeVisible();
  await page.getByRole("link", { name: "Demo connector" }).click();
  const connector = new ConnectorPage(page);
  await connector.openLatestScan();
  await expect(page.getByTestId("section-auth")).toContainText("No long-lived secrets in code or configuration");
  await expect(page.getByTestId("finding").filter({ hasText: "secrets/env-file" })).toContainText(".env:5");
});

test("register the demo folder, scan it, and read its findings", async ({ page }) => {
  const register = new RegisterPage(page);
  await register.open();
  await register.register({ name: "Acme Notes (e2e)", path: "demo-connector" });
  await expect(page.getByRole("heading", { name: "Acme Notes (e2e)" })).toBeVisible();

  const connector = new ConnectorPage(page);
  await connector.openLatestScan();

  // Summary bar, sections, and a finding with severity, location, redacted evidence and a fix.
  await expect(page.getByTestId("summary-bar")).toContainText("high");
  for (const section of ["principles", "data-handling", "prompt-injection", "network", "auth", "operations"]) {
    await expect(page.getByTestId(`section-${section}`)).toBeVisible();
  }
  const finding = page.getByTestId("finding").filter({ hasText: "Secret value in a committed .env file" });
  await expect(finding).toContainText("HIGH", { ignoreCase: true });
  await expect(finding.locator(".where")).toHaveText(".env:5");
  await expect(finding.locator(".evidence")).toHaveText("NOTES_API_SIGNING_SECRET=q9V2…");
  await expect(finding).toContainText("Fix:");
  // The demo locks known-vulnerable versions (the registry stub serves the advisories): the dependency item fails.
  const patched = page.locator('[id="operations.dependencies-patched"]');
  await expect(patched).toHaveAttribute("data-status", "fail");
});

test("Scan now queues a scan, shows progress, and adds it to the history", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Demo connector" }).click();
  const connector = new ConnectorPage(page);
  await expect(page.getByRole("button", { name: "Scan now" })).toBeEnabled({ timeout: 60_000 });
  const before = await connector.scanRows().count();
  await page.getByRole("button", { name: "Scan now" }).click();
  await expect(connector.scanRows()).toHaveCount(before + 1);
  await expect(connector.scanRows().first()).toContainText("succeeded", { timeout: 60_000 });
  await expect(page.getByRole("button", { name: "Scan now" })).toBeEnabled();
});

test("invalid input shows errors beside the fields and saves nothing", async ({ page }) => {
  await page.goto("/");
  const before = await page.getByTestId("patch-matrix").locator("tbody tr").count();

  const register = new RegisterPage(page);
  await register.open();
  await register.register({ name: "   ", path: "/etc", subdirectory: "../up" });
  await expect(register.fieldError("name")).toHaveText("Give the connector a name.");
  await expect(register.fieldError("subdirectory")).toContainText("relative path inside the folder");
  // What was typed is still there.
  await expect(page.getByLabel("Folder", { exact: true })).toHaveValue("/etc");

  await expect(page.getByLabel("Subfolder (optional)")).toHaveValue("../up");
  await register.register({ name: "Escape attempt", path: "/etc", subdirectory: "" });
  await expect(register.fieldError("subdirectory")).toHaveCount(0);
  await expect(register.fieldError("path")).toContainText("outside the allowed folder");
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Escape attempt");

  await register.register({ name: "Escape attempt", path: "../../" });
  await expect(register.fieldError("path")).toContainText("outside the allowed folder");

  await page.goto("/");
  await expect(page.getByTestId("patch-matrix").locator("tbody tr")).toHaveCount(before);
  await expect(page.getByText("Escape attempt")).toHaveCount(0);
});
