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

  async registerGitHub(values: {
    name: string;
    repository: string;
    ref?: string;
    subdirectory?: string;
    token?: string;
    scanNow?: boolean;
  }) {
    await this.page.getByLabel("Name", { exact: true }).fill(values.name);
    await this.page.getByLabel("GitHub repository").check();
    await this.page.getByLabel("Repository", { exact: true }).fill(values.repository);
    if (values.ref !== undefined) await this.page.getByLabel("Branch, tag or commit (optional)").fill(values.ref);
    if (values.token !== undefined) await this.page.getByLabel("Access token (optional)").fill(values.token);
    if (values.subdirectory !== undefined) await this.page.getByLabel("Subfolder (optional)").fill(values.subdirectory);
    if (values.scanNow === false) await this.page.getByLabel("Scan it right away").uncheck();
    await this.page.getByRole("button", { name: "Register connector" }).click();
  }

  fieldError(field: "name" | "path" | "subdirectory" | "repository" | "ref" | "token") {
    return this.page.locator(`#${field}-error`);
  }
}
