import type { Page } from "@playwright/test";

export class RegisterPage {
  constructor(readonly page: Page) {}

  async open() {
    await this.page.goto("/connectors/new");
  }

  async register(values: { name: string; path: string; subdirectory?: string; scanNow?: boolean }) {
    await this.page.getByLabel("Name", { exact: true }).fill(values.name);
    await this.page.getByLabel("Folder", { exact: true }).fill(values.path);
    if (values.subdirectory !== undefined) await this.page.getByLabel("Subfolder (optional)").fill(values.subdirectory);
    const scanNow = this.page.getByLabel("Scan it right away");
    if (values.scanNow === false) await scanNow.uncheck();
    await this.page.getByRole("button", { name: "Register connector" }).click();
  }

  fieldError(field: "name" | "path" | "subdirectory") {
    return this.page.locator(`#${field}-error`);
  }
}
