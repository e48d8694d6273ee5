// GitHub connectors end to end, against the fake GitHub the config starts beside the app (GITHUB_API_URL).
import { expect, test } from "./fixtures";
import { NOTES_REPO, PRIVATE_REPO, PRIVATE_TOKEN } from "../test/support/github-fixtures";
import { ConnectorPage } from "./pages/connector-page";
import { RegisterPage } from "./pages/register-page";

const api = () => `http://127.0.0.1:${process.env.FAKE_GITHUB_PORT}`;

/** The branch head, asked of the fake GitHub the way Launch Review asks. */
async function headOf(repository: string, branch: string): Promise<string> {
  const res = await fetch(`${api()}/repos/${repository}/commits/${branch}`, { headers: { accept: "application/vnd.github.sha" } });
  expect(res.status).toBe(200);
  return res.text();
}

test("register a GitHub monorepo folder, scan it at the branch head, and link a finding to its line on GitHub", async ({ page }) => {
  const head = await headOf(NOTES_REPO, "main");
  const register = new RegisterPage(page);
  await register.open();
  await register.registerGitHub({ name: "Notes on GitHub (e2e)", repository: NOTES_REPO, subdirectory: "servers/notes" });
  await expect(page.getByRole("heading", { name: "Notes on GitHub (e2e)" })).toBeVisible();
  await expect(page.getByTestId("token-status")).toHaveText("No token");

  const connector = new ConnectorPage(page);
  await connector.openLatestScan();
  await expect(page.getByTestId("scan-source")).toHaveText(`${NOTES_REPO} @ main`);
  await expect(page.getByTestId("scan-commit")).toHaveText(head);
  const finding = page.getByTestId("finding").filter({ hasText: "Secret value in a committed .env file" });
  await expect(finding.locator(".where")).toHaveText(".env:2");
  await expect(finding.locator(".where a")).toHaveAttribute("href", `https://github.com/${NOTES_REPO}/blob/${head}/servers/notes/.env#L2`);

  // Rescan: the ref is resolved again; nothing was pushed, so the page says the commit is unchanged.
  await page.getByRole("link", { name: "Notes on GitHub (e2e)" }).click();
  await expect(page.getByTestId("commit-unchanged")).toHaveCount(0);
  await page.getByRole("button", { name: "Scan now" }).click();
  await expect(connector.scanRows()).toHaveCount(2);
  await expect(connector.scanRows().first()).toContainText("succeeded", { timeout: 60_000 });
  await expect(page.getByTestId("commit-unchanged")).toContainText(`No new commits: the default branch is still at ${head.slice(0, 7)}`);
});

test("a private repository fails with the reason on the connector page, then scans once a token is set", async ({ page }) => {
  const register = new RegisterPage(page);
  await register.open();
  await register.registerGitHub({ name: "Private notes (e2e)", repository: `${new URL(api()).origin}/${PRIVATE_REPO}/tree/main` });
  await expect(page.getByRole("heading", { name: "Private notes (e2e)" })).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "The last scan failed" })).toContainText(
    `GitHub answered 404 for ${PRIVATE_REPO}: the repository does not exist, or it is private and no access token is set`,
    { timeout: 60_000 },
  );

  await page.getByLabel("Token", { exact: true }).fill(PRIVATE_TOKEN);
  await page.getByRole("button", { name: "Save token" }).click();
  await expect(page.getByTestId("token-status")).toHaveText("Token set");
  await expect(page.getByLabel("New token")).toHaveValue("");
  await page.getByRole("button", { name: "Scan now" }).click();
  await expect(new ConnectorPage(page).scanRows().first()).toContainText("succeeded", { timeout: 60_000 });
  // The token never reaches the browser: not in the HTML, not in the React payload.
  expect(await page.content()).not.toContain(PRIVATE_TOKEN);

  await page.getByRole("button", { name: "Remove token" }).click();
  await expect(page.getByTestId("token-status")).toHaveText("No token");
});

test("GitHub registration errors show beside the fields, keep what was typed, and never send the token back", async ({ page }) => {
  const register = new RegisterPage(page);
  await register.open();
  await register.registerGitHub({ name: "Broken", repository: "not a repository", ref: "bad..ref", token: PRIVATE_TOKEN });
  await expect(register.fieldError("repository")).toContainText('"not a repository" is not a GitHub repository');
  await expect(register.fieldError("ref")).toHaveText("Not a valid branch, tag or commit name.");
  await expect(register.fieldError("token")).toHaveText("For your safety the token was not kept: paste it again.");
  await expect(page.getByLabel("Repository", { exact: true })).toHaveValue("not a repository");
  await expect(page.getByLabel("Access token (optional)")).toHaveValue("");
  expect(await page.content()).not.toContain(PRIVATE_TOKEN);

  await page.goto("/");
  await expect(page.getByText("Broken")).toHaveCount(0);
});
