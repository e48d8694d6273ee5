// Item 4 of the attack on a running instance: when the advisory source can't answer for a connector, its scan page
// says `unknown`, and so must the dashboard, the matrix, the CSV and the charts: never "0 / 0" or a "current" cell.
// The registry stub has no Python advisories (like npm's own endpoint), so a pinned requirements.txt beside an npm
// lockfile of advisory-free React leaves the dependency item unknown.
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures";
import { E2E_DIR } from "./support/users";

const FOLDER = path.join(E2E_DIR, "connectors", "unknown-advisories");
const NAME = "Advisories unknown (e2e)";

test("a connector whose advisories are unknown shows unknown on the dashboard, in its cells, the CSV and the chart", async ({ page }) => {
  fs.rmSync(FOLDER, { recursive: true, force: true });
  fs.mkdirSync(FOLDER, { recursive: true });
  fs.writeFileSync(
    path.join(FOLDER, "package.json"),
    JSON.stringify({ name: "unknown-advisories", version: "1.0.0", dependencies: { react: "19.0.0" } }),
  );
  fs.writeFileSync(
    path.join(FOLDER, "package-lock.json"),
    JSON.stringify({
      name: "unknown-advisories",
      version: "1.0.0",
      lockfileVersion: 3,
      requires: true,
      packages: {
        "": { name: "unknown-advisories", version: "1.0.0", dependencies: { react: "19.0.0" } },
        "node_modules/react": { version: "19.0.0", resolved: "https://registry.npmjs.org/react/-/react-19.0.0.tgz" },
      },
    }),
  );
  fs.writeFileSync(path.join(FOLDER, "requirements.txt"), "mcp==1.2.0\n");

  await page.goto("/connectors/new");
  await page.getByLabel("Team").selectOption({ label: "Demo team" });
  await page.getByLabel("Name", { exact: true }).fill(NAME);
  await page.getByLabel("Folder", { exact: true }).fill(FOLDER);
  await page.getByRole("button", { name: "Register connector" }).click();
  await expect(page.getByRole("heading", { name: NAME })).toBeVisible();
  await expect(page.getByTestId("scan-history").locator("tbody tr").first()).toContainText("succeeded", { timeout: 60_000 });

  // The scan page: the dependency item is unknown.
  await page
    .getByTestId("scan-history")
    .locator("tbody tr")
    .first()
    .getByRole("link", { name: /^#\d+$/ })
    .click();
  await expect(page.locator('[id="operations.dependencies-patched"]')).toHaveAttribute("data-status", "unknown");

  // The dashboard says unknown, not 0 / 0, and the advisory-free react cell is not coloured "minor behind".
  await page.goto("/");
  const row = page.getByTestId("patch-matrix").locator(`tr[data-connector="${NAME}"]`);
  await expect(row.getByTestId("advisory-counts")).toHaveText("unknown");
  await expect(row.locator('td[data-package="react"]')).toHaveAttribute("data-lag", "unknown");
  await expect(row.locator('td[data-package="react"]')).toHaveAttribute("title", /advisories unknown/);
  // The demo connector, whose advisories are known, keeps its numbers.
  await expect(page.getByTestId("patch-matrix").locator('tr[data-connector="Demo connector"]').getByTestId("advisory-counts")).toHaveText(
    /^\d+ \/ \d+$/,
  );
  await page.screenshot({ path: path.resolve("test-results/unknown-advisories-dashboard.png"), fullPage: true });

  // The chart's numbers: today's vulnerable count is unknown, not a sum that leaves this connector out.
  await page.getByText("Show the numbers").click();
  await expect(page.locator('td[data-series="vulnerable"]').last()).toHaveText("unknown");

  // The CSV export.
  const csv = await (await page.request.get("/api/v1/fleet/matrix.csv")).text();
  const reactLine = csv.split("\r\n").find((l) => l.startsWith(`${NAME},`) && l.includes(",react,"));
  expect(reactLine).toMatch(/,unknown,unknown,/);
});
