import { describe, expect, it } from "vitest";
import { CHECKS } from "@/checks";
import type { Finding } from "@/lib/core/types";
import { ITEM_IDS, SECTION_IDS } from "@/lib/core/types";
import { deriveChecklist } from "@/lib/engine/checklist/derive";
import { CHECKLIST_V1 } from "@/lib/engine/checklist/template";

const finding = (checklistItem: string, severity: Finding["severity"], fingerprint = `${checklistItem}-${severity}`): Finding => ({
  ruleId: "x/y",
  severity,
  title: "t",
  message: "m",
  rationale: "r",
  remediation: "fix",
  checklistItem,
  fingerprint,
});

const byId = (results: ReturnType<typeof deriveChecklist>, id: string) => results.find((r) => r.id === id)!;

describe("checklist template v1", () => {
  it("has the six sections of the guidance, each with items, and at least 20 items", () => {
    expect(CHECKLIST_V1.sections.map((s) => s.id)).toEqual([...SECTION_IDS]);
    for (const s of SECTION_IDS) expect(CHECKLIST_V1.items.filter((i) => i.section === s).length).toBeGreaterThan(0);
    expect(CHECKLIST_V1.items.length).toBeGreaterThanOrEqual(20);
  });

  it("has unique ids, exactly the core's item ids", () => {
    const ids = CHECKLIST_V1.items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...ITEM_IDS].sort());
  });

  it("covers every point of the guidance file", () => {
    // One phrase per bullet of apps-sdk-security-and-privacy.txt, each mapped to the item that carries it.
    const points: Record<string, string> = {
      "least privilege": "principles.least-privilege",
      "explicit user consent": "principles.explicit-consent",
      "defense in depth / audit logs": "principles.defense-in-depth",
      "structured content: only required data": "data-handling.minimal-structured-content",
      "no secrets in component props": "data-handling.no-secrets-in-widgets",
      "retention policy": "data-handling.retention-policy",
      "deletion requests": "data-handling.deletion-requests",
      "redact PII in logs": "data-handling.log-redaction",
      "correlation ids, no raw prompts": "data-handling.correlation-ids",
      "review tool descriptions": "prompt-injection.tool-descriptions",
      "discourage misuse in descriptions": "prompt-injection.misuse-guidance",
      "validate inputs server-side": "prompt-injection.input-validation",
      "human confirmation for irreversible operations": "prompt-injection.human-confirmation",
      "share injection prompts with QA": "prompt-injection.injection-testing",
      "widget CSP": "network.widget-csp",
      "no alert/prompt/confirm/clipboard": "network.widget-sandbox-apis",
      "TLS verification": "network.outbound-tls",
      "retries and timeouts": "network.timeouts-retries",
      "OAuth 2.1 with PKCE and DCR": "auth.oauth-pkce-dcr",
      "scopes on every call": "auth.scopes-enforced",
      "401 for expired or malformed tokens": "auth.token-validation",
      "no long-lived secrets": "auth.no-long-lived-secrets",
      "security review before launch": "operations.security-review",
      "monitoring and alerts": "operations.monitoring-alerts",
      "dependencies patched": "operations.dependencies-patched",
    };
    const ids = new Set<string>(CHECKLIST_V1.items.map((i) => i.id));
    for (const [point, item] of Object.entries(points)) expect(ids.has(item), `${point} -> ${item}`).toBe(true);
  });

  it("is frozen, so a published version can't be edited at run time", () => {
    expect(Object.isFrozen(CHECKLIST_V1.items[0])).toBe(true);
  });
});

describe("deriveChecklist", () => {
  const ran = (...ids: string[]) => new Map(ids.map((id) => [id, { status: "ok" as const }]));

  it("marks items unknown, never pass, when their checks did not run", () => {
    const results = deriveChecklist(CHECKLIST_V1, CHECKS, new Map(), []);
    for (const r of results) expect(r.status === "unknown" || r.status === "needs-attestation").toBe(true);
    expect(byId(results, "network.outbound-tls").reason).toMatch(/"network-tls" check is not available/);
  });

  it("passes an automatic item whose checks ran clean", () => {
    expect(byId(deriveChecklist(CHECKLIST_V1, CHECKS, ran("secrets", "token-verification"), []), "auth.no-long-lived-secrets").status).toBe("pass");
  });

  it("fails on moderate-or-worse findings and warns on low ones", () => {
    const item = "auth.no-long-lived-secrets";
    expect(byId(deriveChecklist(CHECKLIST_V1, CHECKS, ran("secrets", "token-verification"), [finding(item, "moderate")]), item).status).toBe(
      "fail",
    );
    expect(byId(deriveChecklist(CHECKLIST_V1, CHECKS, ran("secrets", "token-verification"), [finding(item, "low")]), item).status).toBe("warn");
    expect(byId(deriveChecklist(CHECKLIST_V1, CHECKS, ran("secrets", "token-verification"), [finding(item, "info")]), item).status).toBe("pass");
  });

  it("keeps an item unknown when its check was unavailable, even with no findings", () => {
    const runs = new Map([["secrets", { status: "unavailable" as const, error: "boom" }]]);
    const r = byId(deriveChecklist(CHECKLIST_V1, CHECKS, runs, []), "auth.no-long-lived-secrets");
    expect(r.status).toBe("unknown");
    expect(r.reason).toContain("boom");
  });

  it("fails even when another check of the item is unavailable, since the failure is certain", () => {
    const runs = new Map([
      ["tool-scopes", { status: "ok" as const }],
      ["widget-csp", { status: "unavailable" as const, error: "x" }],
    ]);
    expect(
      byId(deriveChecklist(CHECKLIST_V1, CHECKS, runs, [finding("principles.least-privilege", "high")]), "principles.least-privilege").status,
    ).toBe("fail");
  });

  it("asks for attestation on manual items and on clean 'both' items", () => {
    const results = deriveChecklist(CHECKLIST_V1, CHECKS, ran("data-retention"), []);
    expect(byId(results, "operations.security-review").status).toBe("needs-attestation");
    expect(byId(results, "data-handling.retention-policy").status).toBe("needs-attestation");
  });

  it("lists the fingerprints behind each item", () => {
    const f = finding("auth.no-long-lived-secrets", "critical", "fp1");
    expect(byId(deriveChecklist(CHECKLIST_V1, CHECKS, ran("secrets", "token-verification"), [f]), "auth.no-long-lived-secrets").findings).toEqual([
      "fp1",
    ]);
  });
});
