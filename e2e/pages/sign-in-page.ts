import type { Page } from "@playwright/test";

export class SignInPage {
  constructor(readonly page: Page) {}

  async signIn(email: string, password: string) {
    await this.page.goto("/sign-in");
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  error() {
    return this.page.getByTestId("sign-in-error");
  }
}
