// Item 9 of the attack on a running instance: two reviewers deciding one item, the last write won silently. The form
// now carries the version it was shown; a stale submit is refused and the newer decision is shown.
import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { ReviewPage } from "./pages/review-page";
import { storageStateOf, type E2eRole } from "./support/users";

const ITEM = "network.timeouts-retries";

async function as(browser: Browser, role: E2eRole): Promise<Page> {
  const context = await browser.newContext({ storageState: storageStateOf(role) });
  return context.newPage();
}

test("a stale decision form is refused with the newer decision, and the retry on the fresh one is saved", async ({ browser }) => {
  const first = await as(browser, "reviewer");
  const second = await as(browser, "security-lead");
  for (const page of [first, second]) {
    await new ReviewPage(page).openSection("/reviews/1", "network");
    const item = new ReviewPage(page).item(ITEM);
    await item.locator("summary", { hasText: /^(Decide|Change the decision)$/ }).click();
  }

  // Both have the form open. The reviewer decides first.
  const firstForm = first.getByTestId(`decide-${ITEM}`);
  await firstForm.getByLabel("Decision").selectOption("request-changes");
  await firstForm.getByLabel("Comment or justification").fill("Add a 10 s timeout to the notes API call.");
  await firstForm.getByRole("button", { name: "Save decision" }).click();
  await expect(firstForm.getByRole("status")).toHaveText("Decision saved.");

  // The security lead submits the form opened before that decision: refused, with the newer decision in view.
  const secondForm = second.getByTestId(`decide-${ITEM}`);
  await secondForm.getByLabel("Decision").selectOption("request-changes");
  await secondForm.getByLabel("Comment or justification").fill("Retry with backoff, please.");
  await secondForm.getByRole("button", { name: "Save decision" }).click();
  const refusal = secondForm.locator(".form-error");
  await expect(refusal).toContainText("This item changed since you opened it");
  await expect(refusal).toContainText("requested changes");
  await expect(refusal).toContainText("Add a 10 s timeout to the notes API call.");
  const decision = new ReviewPage(second).item(ITEM).getByTestId("decision");
  await expect(decision).toContainText("Add a 10 s timeout to the notes API call.");
  await second.screenshot({ path: "test-results/review-concurrency.png", fullPage: true });

  // Having seen it, the security lead decides again on the current version: saved.
  await secondForm.getByRole("button", { name: "Save decision" }).click();
  await expect(secondForm.getByRole("status")).toHaveText("Decision saved.");
  await expect(decision).toContainText("Retry with backoff, please.");
  await first.context().close();
  await second.context().close();
});
