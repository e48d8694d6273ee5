// Form errors stand beside their field and are tied to it for screen readers, and a refused form changes nothing:
// the change-password and delete-connector forms, which share the text field of every hand-written form.
import { expect, test } from "./fixtures";

test("a refused password change says why beside the field, and a wrong confirmation deletes nothing", async ({ page }) => {
  await page.goto("/account");
  await page.getByLabel("Current password").fill("not-the-password");
  await page.getByLabel("New password (at least 12 characters)").fill("a-long-new-password-1");
  await page.getByLabel("New password again").fill("a-different-password-2");
  await page.getByRole("button", { name: "Change password" }).click();
  const confirm = page.getByLabel("New password again");
  await expect(confirm).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator(`#${await confirm.getAttribute("aria-describedby")}`)).toHaveText("The two new passwords differ.");
  await expect(page.getByLabel("Current password")).not.toHaveAttribute("aria-invalid", "true");
  await page.screenshot({ path: "test-results/account-form-error.png" });

  await page.goto("/connectors/1");
  const confirmName = page.getByLabel(/^Type “.+” to confirm$/);
  await confirmName.fill("not the name");
  await page.getByRole("button", { name: "Delete connector" }).click();
  await expect(confirmName).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator(`#${await confirmName.getAttribute("aria-describedby")}`)).toHaveText(
    "Type the connector's name exactly to confirm.",
  );
  await page.reload();
  await expect(page.getByRole("heading", { name: "Demo connector" })).toBeVisible();
});
