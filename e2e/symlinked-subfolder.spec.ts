// Item 2 of the attack on a running instance: a symlink in the subfolder must not lead out of LAUNCH_REVIEW_LOCAL_ROOT,
// neither when the connector is registered nor when a link appears later, before a scan.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
import { E2E_DIR } from "./support/users";

const OUTSIDE = path.join(E2E_DIR, "outside-the-root");
const FOLDER = path.join(E2E_DIR, "connectors", "with-links");

test.beforeAll(() => {
  fs.rmSync(FOLDER, { recursive: true, force: true });
  fs.mkdirSync(path.join(FOLDER, "inner"), { recursive: true });
  fs.writeFileSync(path.join(FOLDER, "inner", "server.ts"), 'export const name = "inner";\n');
  // What any cloned repository can commit: a link to the file system's root.
  fs.symlinkSync("/", path.join(FOLDER, "to-root"));
  fs.mkdirSync(OUTSIDE, { recursive: true });
  fs.writeFileSync(path.join(OUTSIDE, "outside-secret.ts"), 'export const secret = "outside";\n');
});

test("a subfolder that is a symlink to / is refused at registration", async ({ page }) => {
  await page.goto("/connectors/new");
  await page.getByLabel("Team").selectOption({ label: "Demo team" });
  await page.getByLabel("Name", { exact: true }).fill("Escape through a link (e2e)");
  await page.getByLabel("Folder", { exact: true }).fill(FOLDER);
  await page.getByLabel("Subfolder (optional)").fill("to-root");
  await page.getByLabel("Scan it right away").uncheck();
  await page.getByRole("button", { name: "Register connector" }).click();
  await expect(page.locator("#subdirectory-error")).toContainText("leads outside the connector's folder");
  await expect(page).toHaveURL(/\/connectors\/new$/);
});

test("a subfolder replaced by a symlink after registration fails the next scan instead of reading outside", async ({ page }) => {
  await page.goto("/connectors/new");
  await page.getByLabel("Team").selectOption({ label: "Demo team" });
  await page.getByLabel("Name", { exact: true }).fill("Link swapped in later (e2e)");
  await page.getByLabel("Folder", { exact: true }).fill(FOLDER);
  await page.getByLabel("Subfolder (optional)").fill("inner");
  await page.getByLabel("Scan it right away").uncheck();
  await page.getByRole("button", { name: "Register connector" }).click();
  await expect(page.getByRole("heading", { name: "Link swapped in later (e2e)" })).toBeVisible();

  fs.rmSync(path.join(FOLDER, "inner"), { recursive: true });
  fs.symlinkSync(OUTSIDE, path.join(FOLDER, "inner"));
  await page.getByRole("button", { name: "Scan now" }).click();
  const latest = page.getByTestId("scan-history").locator("tbody tr").first();
  await expect(latest).toContainText("failed", { timeout: 60_000 });
  await expect(page.getByText("leads outside the connector's folder").first()).toBeVisible();
});
