// Item 8 of the attack on a running instance, in the browser: a right-to-left override in a connector name was shown
// as it is (reordering the text around it); an invalid schedule interval threw an uncaught error.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
import { E2E_DIR } from "./support/users";

const FOLDER = path.join(E2E_DIR, "connectors", "bidi-name");
const NAME = "Invoices \u202Egnp.exe\u202C (e2e)";

test("a connector name with bidirectional characters is shown with them made visible; a bad schedule is explained", async ({ page }) => {
  fs.rmSync(FOLDER, { recursive: true, force: true });
  fs.mkdirSync(FOLDER, { recursive: true });
  fs.writeFileSync(path.join(FOLDER, "server.ts"), "export const x = 1;\n");
  await page.goto("/connectors/new");
  await page.getByLabel("Team").selectOption({ label: "Demo team" });
  await page.getByLabel("Name", { exact: true }).fill(NAME);
  await page.getByLabel("Folder", { exact: true }).fill(FOLDER);
  await page.getByLabel("Scan it right away").uncheck();
  await page.getByRole("button", { name: "Register connector" }).click();
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toHaveText("Invoices ⟦U+202E⟧gnp.exe⟦U+202C⟧ (e2e)");
  expect(await heading.textContent()).not.toMatch(/[\u202A-\u202E]/);
  const connectorUrl = page.url();

  // The schedule form offers fixed intervals; a forged one is answered on the page, not with a server error.
  await page.locator("#schedule-minutes").evaluate((select) => {
    const option = document.createElement("option");
    option.value = "7";
    option.textContent = "every 7 minutes";
    select.append(option);
    (select as HTMLSelectElement).value = "7";
  });
  await page.getByRole("button", { name: "Save schedule" }).click();
  await expect(page.getByTestId("schedule-error")).toHaveText("Choose one of the offered intervals.");
  await expect(page.getByTestId("schedule-panel")).toContainText("Scheduled rescans: daily");
  await page.screenshot({ path: "test-results/hidden-characters-connector.png", fullPage: true });
  // The delete form asks for the name as shown, and accepts it typed with the markers.
  await expect(page.getByLabel("Type “Invoices ⟦U+202E⟧gnp.exe⟦U+202C⟧ (e2e)” to confirm")).toBeVisible();

  await page.goto("/");
  const row = page.getByTestId("patch-matrix").locator("tbody tr", { hasText: "⟦U+202E⟧gnp.exe" });
  await expect(row).toHaveCount(1);
  expect(await row.locator("th a").textContent()).not.toMatch(/[\u202A-\u202E]/);
  expect(connectorUrl).toMatch(/\/connectors\/\d+$/);

  // Deleting it takes the name as shown, markers typed out.
  await page.goto(connectorUrl);
  await page.getByLabel(/^Type “.*” to confirm$/).fill("Invoices ⟦U+202E⟧gnp.exe⟦U+202C⟧ (e2e)");
  await page.getByRole("button", { name: "Delete connector" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByText("gnp.exe")).toHaveCount(0);
});
