import type { Page } from "@playwright/test";

/** The Tools tab of a scan: the tool table and the changes since the previous scan. */
export class ToolsTab {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.getByRole("link", { name: /^Tools \(\d+\)$/ }).click();
    await this.page.getByRole("heading", { name: "Tools", exact: true }).waitFor();
  }

  rows() {
    return this.page.getByTestId("tool-row");
  }

  row(name: string) {
    return this.page.locator(`[data-testid="tool-row"][data-tool="${name}"]`);
  }

  changes() {
    return this.page.getByTestId("tool-changes");
  }

  change(name: string) {
    return this.page.locator(`[data-testid="tool-change"][data-tool="${name}"]`);
  }
}
