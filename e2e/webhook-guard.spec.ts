// Item 6 of the attack on a running instance: an administrator could save webhooks to the cloud metadata address and
// to loopback, and the app sent to them and showed the answer's status. Over HTTP, as the administrator's browser.
import { expect, test } from "./fixtures";

test("webhooks to link-local, metadata and loopback addresses are refused when saved", async ({ page }) => {
  await page.goto("/admin/alerts");
  const form = page.getByTestId("add-webhook");
  for (const [url, why] of [
    [
      "http://169.254.169.254/latest/meta-data/",
      "169.254.169.254 is a link-local, metadata or reserved address; webhooks are not sent there.",
    ],
    ["http://127.0.0.1:9/hook", "127.0.0.1 is a private or loopback address; webhooks are not sent there."],
  ] as const) {
    await form.getByLabel("Name", { exact: true }).fill("Probe");
    await form.getByLabel("URL", { exact: true }).fill(url);
    await form.getByRole("button", { name: "Add webhook" }).click();
    await expect(page.locator("#add-webhook-url-error")).toContainText(why);
  }
  await expect(page.getByTestId("webhook")).toHaveCount(0);
  await page.screenshot({ path: "test-results/webhook-guard.png", fullPage: true });
});
