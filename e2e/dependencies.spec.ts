import { expect, test } from "./fixtures";

// The demo connector locks known-vulnerable versions (the registry stub serves the fixture advisories): the fleet's
// patch matrix shows them, its filters narrow it, and a cell leads to the Dependencies tab with paths and fixes.
test("the patch matrix flags the demo's vulnerable SDK, filters by package, and leads to the fix", async ({ page }) => {
  await page.goto("/");
  const matrix = page.getByTestId("patch-matrix");
  const demo = matrix.locator('tr[data-connector="Demo connector"]');
  await expect(demo).toBeVisible();

  const sdk = demo.locator('td[data-package="@modelcontextprotocol/sdk"]');
  await expect(sdk).toHaveAttribute("data-lag", "vulnerable");
  await expect(sdk).toHaveText("1.12.0");
  await expect(sdk).toHaveAttribute("title", /advisories GHSA-3q8m-xw6j-9vp2/);
  // react isn't hit by an advisory, only behind.
  await expect(demo.locator('td[data-package="react"]')).toHaveAttribute("data-lag", "minor");

  // Filter to one package: only its column remains, the demo still listed.
  await page.getByLabel("Package", { exact: true }).selectOption("@modelcontextprotocol/sdk");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/package=%40modelcontextprotocol%2Fsdk/);
  await expect(matrix.locator("thead th.mono")).toHaveText(["@modelcontextprotocol/sdk"]);
  await expect(demo.locator('td[data-package="@modelcontextprotocol/sdk"]')).toHaveAttribute("data-lag", "vulnerable");

  // The cell opens the scan's Dependencies tab.
  await demo.locator('td[data-package="@modelcontextprotocol/sdk"] a').click();
  await expect(page.getByRole("heading", { name: "Dependencies" })).toBeVisible();
  await expect(page.getByTestId("advisories-as-of")).toContainText("Advisory data from npm as of");
  await expect(page.getByTestId("lockfiles")).toContainText("package-lock.json (npm,");

  const vulnerabilities = page.getByTestId("vulnerabilities");
  const bodyParser = vulnerabilities.locator('tr[data-package="body-parser"]');
  await expect(bodyParser).toContainText("body-parser@1.20.1");
  await expect(bodyParser).toContainText("transitive");
  await expect(bodyParser).toContainText("express › body-parser");
  await expect(bodyParser.getByTestId("fix")).toContainText("Upgrade express to 4.21.2");
  await expect(vulnerabilities.locator('tr[data-package="@modelcontextprotocol/sdk"] [data-testid="fix"]')).toContainText(
    "Upgrade @modelcontextprotocol/sdk to 1.24.0",
  );
  await expect(vulnerabilities.locator("tbody tr")).toHaveCount(8);

  const sdkStatus = page.getByTestId("patch-status").locator('tr[data-package="@modelcontextprotocol/sdk"]');
  await expect(sdkStatus).toContainText("vulnerable");
  await expect(sdkStatus).toContainText("minor behind");
  await expect(sdkStatus).toContainText("1.25.2");

  // On the checklist, the dependency item fails with one finding per vulnerable package and advisory.
  await page.getByRole("link", { name: "Checklist" }).click();
  const item = page.locator('[id="operations.dependencies-patched"]');
  await expect(item).toHaveAttribute("data-status", "fail");
  await expect(item.locator('[data-testid="finding"][data-rule="dependencies/vulnerable"]')).toHaveCount(8);
});
