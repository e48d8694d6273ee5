// A repository token, once saved, never reaches a browser: not in any page's HTML, not in any React Server
// Component payload, not in any JSON or export. Every GET route of the access table is fetched both ways.
import { PRIVATE_REPO, PRIVATE_TOKEN } from "../test/support/github-fixtures";
import { ROUTES, type Ids } from "../test/access/matrix";
import { expect, test } from "./fixtures";
import { RegisterPage } from "./pages/register-page";

test("no page, payload or export contains a saved repository token", async ({ page }) => {
  const register = new RegisterPage(page);
  await register.open();
  await register.registerGitHub({ name: "Private notes (token exposure)", repository: PRIVATE_REPO, token: PRIVATE_TOKEN });
  await expect(page.getByTestId("token-status")).toHaveText("Token set");
  const connector = Number(new URL(page.url()).pathname.split("/").pop());
  await expect(page.getByTestId("scan-history").locator("tbody tr").first()).toContainText("succeeded", { timeout: 60_000 });
  const scanLink = page
    .getByTestId("scan-history")
    .locator("tbody tr")
    .first()
    .getByRole("link", { name: /^#\d+$/ });
  const scan = Number((await scanLink.textContent())!.slice(1));
  await page.getByRole("button", { name: "Start the review" }).click();
  await expect(page).toHaveURL(/\/reviews\/\d+$/);
  const review = Number(new URL(page.url()).pathname.split("/").pop());

  const ids: Ids = { team: 1, otherTeam: 2, connector, scan, review };
  const paths = Object.entries(ROUTES)
    .filter(([key]) => key.startsWith("GET "))
    .map(([, entry]) => entry.path(ids))
    .concat([`/reviews/${review}/export/md`, `/reviews/${review}/export/json`, `/api/v1/scans/${scan}?report=1`]);
  expect(paths.length).toBeGreaterThan(15);
  for (const path of paths) {
    for (const headers of [{}, { RSC: "1" }] as Array<Record<string, string>>) {
      const response = await page.request.get(path, { headers, maxRedirects: 0 });
      const body = await response.text();
      expect(body.includes(PRIVATE_TOKEN), `${path} ${JSON.stringify(headers)} leaks the token`).toBe(false);
      expect(body.includes(PRIVATE_TOKEN.slice(4, 20)), `${path} leaks part of the token`).toBe(false);
    }
  }
});
