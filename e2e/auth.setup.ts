// Setup project: creates one user per role (members of the demo team, plus an outsider in another team) and
// signs each in once, saving their cookies for the specs.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test as setup, type Cookie } from "@playwright/test";
import { E2E_DIR, emailOf, PASSWORD, passwordOf, ROLES, storageStateOf, type E2eRole } from "./support/users";

const root = path.resolve(__dirname, "..");

function createUser(email: string, team: string, role: string): void {
  execFileSync(
    process.execPath,
    [path.join(root, "lib/cli/launch-review.mjs"), "user", "create", "--email", email, "--team", team, "--role", role, "--password-stdin"],
    {
      input: `${PASSWORD}\n`,
      env: { ...process.env, DATABASE_PATH: path.join(E2E_DIR, "launch-review.db"), LAUNCH_REVIEW_LOG_LEVEL: "silent" },
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
}

setup("create users and sign each in", async ({ page }) => {
  // Seven CLI runs (each a Node start plus the password checks' dictionaries) and seven sign-ins: more than the
  // default minute on a busy machine.
  setup.setTimeout(180_000);
  for (const role of ROLES) createUser(emailOf(role), "Demo team", role);
  createUser(emailOf("outsider"), "Other team", "maintainer");
  createUser("lockme@e2e.test", "Demo team", "viewer");

  for (const role of ["admin", ...ROLES, "outsider"] as E2eRole[]) {
    await page.context().clearCookies();
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(emailOf(role));
    await page.getByLabel("Password").fill(passwordOf(role));
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { name: "Connectors", exact: true })).toBeVisible();
    await page.context().storageState({ path: storageStateOf(role) });
  }

  // The reviewer starts review 1 of the demo connector, which the access matrix reads.
  await page.context().clearCookies();
  await page.context().addCookies((JSON.parse(fs.readFileSync(storageStateOf("reviewer"), "utf8")) as { cookies: Cookie[] }).cookies);
  await page.goto("/connectors/1");
  await page.getByRole("button", { name: "Start the review" }).click();
  await expect(page).toHaveURL(/\/reviews\/1$/);
});
