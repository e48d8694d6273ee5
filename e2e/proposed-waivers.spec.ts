// Ignores a connector's launch-review.yml declares, as proposed waivers in the review: a reviewer accepts the one on
// a non-blocking item (the item is waived with the declared reason) but can't accept the one on a blocking item; the
// security lead rejects that one; both answers are in the audit log.
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { ReviewPage } from "./pages/review-page";
import { E2E_DIR, storageStateOf, type E2eRole } from "./support/users";

const FOLDER = path.join(E2E_DIR, "connectors", "acme-proposals");
const NAME = "Acme proposals (e2e)";
const RENOVATE = "Dependency updates come from the organisation-wide Renovate preset in acme/renovate-config.";
const TLS = "The notes API's staging certificate is self-signed; production builds verify certificates.";
const inDays = (n: number) => new Date(Date.now() + n * 24 * 3600_000).toISOString().slice(0, 10);

test.describe.configure({ timeout: 180_000 });

async function as(browser: Browser, role: E2eRole): Promise<Page> {
  const context = await browser.newContext({ storageState: storageStateOf(role) });
  return context.newPage();
}

test("proposed waivers from launch-review.yml are accepted or rejected by a reviewer, never applied by themselves", async ({ browser }) => {
  fs.rmSync(FOLDER, { recursive: true, force: true });
  fs.cpSync(path.resolve("examples/demo-connector"), FOLDER, { recursive: true });
  // Dates relative to today, so the test never runs past its own ignores.
  fs.writeFileSync(
    path.join(FOLDER, "launch-review.yml"),
    [
      "ignore:",
      "  - rule: supply/no-update-bot",
      `    reason: ${RENOVATE}`,
      `    expires: ${inDays(90)}`,
      "  - rule: tls/reject-unauthorized",
      "    path: src/store.ts",
      `    reason: "${TLS}"`,
      `    expires: ${inDays(30)}`,
      "",
    ].join("\n"),
  );

  const maintainer = await as(browser, "maintainer");
  await maintainer.goto("/connectors/new");
  await maintainer.getByLabel("Team").selectOption({ label: "Demo team" });
  await maintainer.getByLabel("Name", { exact: true }).fill(NAME);
  await maintainer.getByLabel("Folder", { exact: true }).fill(FOLDER);
  await maintainer.getByRole("button", { name: "Register connector" }).click();
  await expect(maintainer.getByTestId("scan-history").locator("tbody tr").first()).toContainText("succeeded", { timeout: 60_000 });
  const connectorUrl = new URL(maintainer.url()).pathname;

  const reviewer = await as(browser, "reviewer");
  await reviewer.goto(connectorUrl);
  await reviewer.getByRole("button", { name: "Start the review" }).click();
  await expect(reviewer).toHaveURL(/\/reviews\/\d+$/);
  const reviewUrl = new URL(reviewer.url()).pathname;
  await expect(reviewer.getByTestId("proposals-summary")).toContainText("launch-review.yml proposes 2 waivers, 2 not answered yet");

  // The blocking item still fails, and only a security lead may accept its proposal.
  const walk = new ReviewPage(reviewer);
  await walk.openSection(reviewUrl, "network");
  const tls = walk.item("network.outbound-tls");
  await expect(tls).toHaveAttribute("data-settlement", "open");
  await expect(tls.getByTestId("proposed-waiver")).toContainText(TLS);
  await expect(tls.getByRole("button", { name: "Accept the waiver" })).toBeDisabled();
  await expect(tls.getByTestId("proposed-waiver")).toContainText("only a security lead can accept a waiver of it");

  // The non-blocking one: accepted, the item is waived with the declared reason.
  await walk.openSection(reviewUrl, "operations");
  const hygiene = walk.item("operations.dependency-hygiene");
  await expect(hygiene).toHaveAttribute("data-settlement", "open");
  await hygiene.getByRole("button", { name: "Accept the waiver" }).click();
  await expect(hygiene.getByTestId("proposal-answer")).toContainText("Accepted by");
  await expect(hygiene).toHaveAttribute("data-settlement", "waived");
  await expect(hygiene.getByTestId("decision")).toContainText(RENOVATE);

  // The security lead turns the TLS one down: the item stays open.
  const lead = await as(browser, "security-lead");
  const leadWalk = new ReviewPage(lead);
  await leadWalk.openSection(reviewUrl, "network");
  const leadTls = leadWalk.item("network.outbound-tls");
  await expect(leadTls.getByRole("button", { name: "Accept the waiver" })).toBeEnabled();
  await leadTls.getByRole("button", { name: "Reject" }).click();
  await expect(leadTls.getByTestId("proposal-answer")).toContainText("Rejected by");
  await expect(leadTls).toHaveAttribute("data-settlement", "open");
  await expect(lead.getByTestId("proposals-summary")).toContainText("all answered");

  await lead.goto(`${connectorUrl}/audit`);
  const log = lead.getByTestId("audit-log");
  await expect(log.getByText("review.waiver-rejected", { exact: true })).toBeVisible();
  await expect(log.getByText("review.waiver", { exact: true })).toBeVisible();
});
