import { expect, type Page } from "@playwright/test";

export class ConnectorPage {
  constructor(readonly page: Page) {}

  scanRows() {
    return this.page.getByTestId("scan-history").locator("tbody tr");
  }

  /** Waits for the running scan (if any) to finish, then opens the newest succeeded scan. */
  async openLatestScan() {
    await expect(this.page.getByTestId("scan-progress")).toHaveCount(0, { timeout: 60_000 });
    const link = this.scanRows()
      .first()
      .getByRole("link", { name: /^#\d+$/ });
    await expect(link).toBeVisible();
    await link.click();
    await expect(this.page.getByRole("heading", { name: "Security review checklist" })).toBeVisible();
  }
}
