import { expect, type Locator, type Page } from "@playwright/test";

/** The guided review: one checklist section at a time, each item with its attestation, decision and comments. */
export class ReviewPage {
  constructor(readonly page: Page) {}

  async openSection(reviewUrl: string, section: string) {
    await this.page.goto(`${reviewUrl}?section=${section}`);
  }

  item(itemId: string): Locator {
    return this.page.locator(`[data-testid="review-item"][data-item="${itemId}"]`);
  }

  async attest(itemId: string, statement: string, evidence: string) {
    const item = this.item(itemId);
    await item.getByText(/Attest this item|Replace the attestation/).click();
    const form = this.page.getByTestId(`attest-${itemId}`);
    await form.getByLabel("Statement").fill(statement);
    await form.getByLabel("Evidence link or note").fill(evidence);
    await form.getByRole("button", { name: "Save attestation" }).click();
    await expect(item.getByTestId("attestation")).toContainText(statement);
  }

  async decide(itemId: string, kind: "accept" | "request-changes" | "waive", note = "", expiresOn?: string) {
    const item = this.item(itemId);
    await item.locator("summary", { hasText: /^(Decide|Change the decision)$/ }).click();
    const form = this.page.getByTestId(`decide-${itemId}`);
    await form.getByLabel("Decision").selectOption(kind);
    if (note) await form.getByLabel("Comment or justification").fill(note);
    if (expiresOn) await form.getByLabel("Waiver expires on").fill(expiresOn);
    await form.getByRole("button", { name: "Save decision" }).click();
    // Wait for the server's answer: a saved notice, or an error beside a field or above the form.
    await expect(form.locator('[role="status"], .field-error, .form-error').first()).toBeVisible();
  }

  settlement(itemId: string): Promise<string | null> {
    return this.item(itemId).getAttribute("data-settlement");
  }
}
