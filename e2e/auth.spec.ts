import { expect, test } from "./fixtures";
import { SignInPage } from "./pages/sign-in-page";
import { emailOf, PASSWORD, storageStateOf } from "./support/users";

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("pages send you to sign in, and back where you were after", async ({ page }) => {
    await page.goto("/connectors/1");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Fconnectors%2F1$/);
    await page.getByLabel("Email").fill(emailOf("viewer"));
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/connectors\/1$/);
    await expect(page.getByRole("heading", { name: "Demo connector" })).toBeVisible();
  });

  test("a wrong password is refused without saying whether the account exists", async ({ page }) => {
    const signIn = new SignInPage(page);
    await signIn.signIn(emailOf("reviewer"), "not-the-password");
    await expect(signIn.error()).toHaveText("Wrong email or password.");
    await signIn.signIn("nobody@e2e.test", "not-the-password");
    await expect(signIn.error()).toHaveText("Wrong email or password.");
    // The email typed is kept, the password is not.
    await expect(page.getByLabel("Email")).toHaveValue("nobody@e2e.test");
    await expect(page.getByLabel("Password")).toHaveValue("");
  });

  test("repeated failures lock the account, even for the right password", async ({ page }) => {
    const signIn = new SignInPage(page);
    for (let i = 0; i < 5; i++) {
      await signIn.signIn("lockme@e2e.test", `wrong-${i}-password`);
      await expect(signIn.error()).toBeVisible();
    }
    await signIn.signIn("lockme@e2e.test", PASSWORD);
    await expect(signIn.error()).toContainText("Too many failed sign-ins. Try again in 15 minutes.");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("the privacy page is public", async ({ page }) => {
    await page.goto("/privacy");
    await expect(page.getByRole("heading", { name: "Privacy and data retention" })).toBeVisible();
    await expect(page.getByText("180 days")).toBeVisible();
  });
});

test("sign out ends the session", async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await new SignInPage(page).signIn(emailOf("maintainer"), PASSWORD);
  await expect(page.getByRole("heading", { name: "Connectors", exact: true })).toBeVisible();
  const cookie = (await context.cookies()).find((c) => c.name.includes("session_token"));
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);
  await context.close();
});

test.describe("as a viewer", () => {
  test.use({ storageState: storageStateOf("viewer") });

  test("can read the demo connector but not register or scan", async ({ page }) => {
    await page.goto("/connectors/1");
    await expect(page.getByRole("heading", { name: "Demo connector" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Scan now" })).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "Delete this connector" })).toHaveCount(0);
    await page.goto("/connectors/new");
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  });
});

test.describe("as a user of another team", () => {
  test.use({ storageState: storageStateOf("outsider") });

  test("gets 404 for the demo connector and its scans, and doesn't see it listed", async ({ page }) => {
    const response = await page.goto("/connectors/1");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    expect((await page.goto("/scans/1"))?.status()).toBe(404);
    await page.goto("/");
    await expect(page.getByText("Demo connector")).toHaveCount(0);
  });
});

test("an administrator invites someone, who joins with the link", async ({ page, browser }) => {
  await page.goto("/admin");
  const form = page.getByTestId("invite");
  await form.getByLabel("Email").fill("newcomer@e2e.test");
  await form.getByLabel("Team", { exact: true }).selectOption({ label: "Demo team" });
  await form.getByLabel("Role in the team").selectOption("reviewer");
  await form.getByRole("button", { name: "Create invitation" }).click();
  const link = (await page.getByTestId("secret-once").textContent())!.trim();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{32}$/);

  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const guest = await context.newPage();
  await guest.goto(link);
  await guest.getByLabel("Your name").fill("Newcomer");
  await guest.getByLabel("Password (at least 12 characters)").fill("newcomer-password-1");
  await guest.getByLabel("Password again").fill("newcomer-password-1");
  await guest.getByRole("button", { name: "Create my account" }).click();
  await expect(guest.getByRole("heading", { name: "Connectors", exact: true })).toBeVisible();
  await expect(guest.getByRole("link", { name: "Demo connector" })).toBeVisible();
  // The link works once.
  await guest.goto(link);
  await expect(guest.getByText("This invitation link is invalid, expired or already used.", { exact: false })).toBeVisible();
  await context.close();
});

test("security events page shows failed sign-ins and lockouts", async ({ page }) => {
  await page.goto("/admin/security?type=sign-in.locked-out");
  await expect(page.getByTestId("security-events")).toContainText("lockme@e2e.test");
});
