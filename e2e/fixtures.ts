// Specs import test and expect from here: every page must load without a Content-Security-Policy violation.
import { expect, test as base } from "@playwright/test";

export const test = base.extend<{ cspWatch: void }>({
  cspWatch: [
    async ({ page }, use) => {
      const violations: string[] = [];
      page.on("console", (msg) => {
        if (msg.type() === "error" && /Content[ -]Security[ -]Policy/i.test(msg.text())) violations.push(msg.text());
      });
      await use();
      expect(violations, "CSP violations in the browser console").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
