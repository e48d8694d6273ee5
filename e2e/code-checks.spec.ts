import { expect, test } from "@playwright/test";
import { ConnectorPage } from "./pages/connector-page";

// The demo connector's deliberate problems, found by the code checks, shown under their checklist items.
test("the demo's scan page shows code-check findings under the right checklist items", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Demo connector" }).click();
  await new ConnectorPage(page).openLatestScan();

  const item = (id: string) => page.locator(`[id="${id}"]`);
  const finding = (id: string, rule: string) => item(id).locator(`[data-testid="finding"][data-rule="${rule}"]`);

  // Principles: tool output rendered as HTML in the widget (a manual item, shown with its evidence).
  await expect(page.getByTestId("section-principles").locator('[id="principles.defense-in-depth"]')).toBeVisible();
  await expect(finding("principles.defense-in-depth", "widget/html-from-tool-output").locator(".where")).toHaveText(
    "web/NotesWidget.tsx:35",
  );

  // Data handling: the MCP route logs the authorization header.
  await expect(item("data-handling.log-redaction")).toHaveAttribute("data-status", "fail");
  const log = finding("data-handling.log-redaction", "logging/credential");
  await expect(log.locator(".where")).toHaveText("src/http.ts:23");
  await expect(log.locator(".evidence")).toContainText("req.headers.authorization");
  await expect(log).toContainText("Fix:");

  // Network: TLS verification off, DNS-rebinding protection off, the clipboard in the widget.
  await expect(item("network.outbound-tls")).toHaveAttribute("data-status", "fail");
  await expect(finding("network.outbound-tls", "tls/reject-unauthorized").locator(".where")).toHaveText("src/store.ts:6");
  await expect(finding("network.transport-hardening", "transport/dns-rebinding-disabled").locator(".where")).toHaveText("src/http.ts:26");
  await expect(finding("network.widget-sandbox-apis", "widget/clipboard")).toContainText("navigator.clipboard");

  // Auth: PKCE without S256, and jwt.decode used as verification.
  await expect(item("auth.oauth-pkce-dcr")).toHaveAttribute("data-status", "fail");
  await expect(finding("auth.oauth-pkce-dcr", "oauth/pkce-s256-missing")).toContainText('without "S256"');
  await expect(finding("auth.token-validation", "token/decode-without-verify").locator(".where")).toHaveText("src/auth.ts:28");

  // Operations: a pull_request_target workflow that checks out the PR's code.
  await expect(item("operations.ci-hardening")).toHaveAttribute("data-status", "fail");
  await expect(finding("operations.ci-hardening", "ci/pull-request-target-checkout")).toContainText("CRITICAL", { ignoreCase: true });
});
