// The security review checklist, version 1: one section per part of the Apps SDK security and privacy guidance.
// Wording is ours. A published version never changes: reviews snapshot the version they use, so edits mean a new version.
import type { SectionId } from "@/lib/core/types";

import type { ItemId, Verification } from "@/lib/core/types";

export interface ChecklistSection {
  id: SectionId;
  title: string;
  summary: string;
}

export interface ChecklistItem {
  id: ItemId;
  section: SectionId;
  title: string;
  /** The guidance in plain words. */
  guidance: string;
  /** What the reviewer must do to settle the item. */
  reviewerAction: string;
  verification: Verification;
  /** A launch can't be signed off while a blocking item is open. */
  blocking: boolean;
}

export interface ChecklistTemplate {
  version: number;
  sections: ChecklistSection[];
  items: ChecklistItem[];
}

const sections: ChecklistSection[] = [
  {
    id: "principles",
    title: "Principles",
    summary: "Least privilege, explicit user consent, and defense in depth: the connector is production software with access to user data.",
  },
  {
    id: "data-handling",
    title: "Data handling",
    summary:
      "Return only what the prompt needs, keep data no longer than promised, and keep personal data and secrets out of logs and widgets.",
  },
  {
    id: "prompt-injection",
    title: "Prompt injection and write actions",
    summary: "Tool descriptions steer the model; inputs can be hostile; irreversible actions need a human in the loop.",
  },
  {
    id: "network",
    title: "Network access",
    summary: "Widgets run in a sandboxed iframe under a strict CSP; server-side calls follow normal outbound hygiene.",
  },
  {
    id: "auth",
    title: "Authentication and authorization",
    summary: "OAuth 2.1 with PKCE and dynamic client registration, scopes enforced on every call, bad tokens rejected with 401.",
  },
  {
    id: "operations",
    title: "Operational readiness",
    summary: "A security review before launch, monitoring and alerts in production, and dependencies kept patched.",
  },
];

const items: ChecklistItem[] = [
  // principles
  {
    id: "principles.least-privilege",
    section: "principles",
    title: "Only the scopes, storage and network access the connector needs",
    guidance:
      "Each tool asks for the narrowest OAuth scopes that let it work, read-only tools never ask for write scopes, and widgets declare only the domains they really contact.",
    reviewerAction:
      "Compare each tool's scopes and each widget's allowed domains with what it does; ask for anything broader to be cut back.",
    verification: "both",
    blocking: true,
  },
  {
    id: "principles.explicit-consent",
    section: "principles",
    title: "Users knowingly link accounts and grant write access",
    guidance:
      "When a user links an account or lets the connector write on their behalf, the consent screen says plainly what will be accessed and changed. Potentially destructive actions lean on ChatGPT's confirmation prompt.",
    reviewerAction:
      "Walk through account linking and attest that the consent screen names the data and the write access requested. Link a screenshot or recording.",
    verification: "manual",
    blocking: true,
  },
  {
    id: "principles.defense-in-depth",
    section: "principles",
    title: "Hostile input is expected, and actions leave an audit trail",
    guidance:
      "Assume prompt injection and malicious arguments reach the server. Every layer validates on its own, and the connector keeps audit logs of the actions it takes for users.",
    reviewerAction: "Confirm the server keeps an audit log of write actions (who, what, when) and link to where it is configured.",
    verification: "manual",
    blocking: false,
  },
  // data handling
  {
    id: "data-handling.minimal-structured-content",
    section: "data-handling",
    title: "Tool results carry only the data the current prompt needs",
    guidance: "structuredContent and tool output include the fields a response needs, not whole records or unrelated personal data.",
    reviewerAction: "Check flagged tools for whole-record returns and ask for the payload to be trimmed to the needed fields.",
    verification: "automatic",
    blocking: false,
  },
  {
    id: "data-handling.no-secrets-in-widgets",
    section: "data-handling",
    title: "No secrets or tokens in widget props, structured content or _meta",
    guidance:
      "Everything a tool returns can reach the model and the widget iframe. Access tokens, API keys and session secrets never travel in component props, structuredContent or _meta.",
    reviewerAction: "Confirm every flagged value is removed from tool output.",
    verification: "automatic",
    blocking: true,
  },
  {
    id: "data-handling.retention-policy",
    section: "data-handling",
    title: "A retention period is decided and a retention policy is published",
    guidance: "The team has decided how long user data is kept and says so publicly in a privacy or retention policy.",
    reviewerAction: "Link the published retention policy and attest that the storage configuration matches it.",
    verification: "both",
    blocking: true,
  },
  {
    id: "data-handling.deletion-requests",
    section: "data-handling",
    title: "Deletion requests are honoured promptly",
    guidance: "There is a working path for a user to have their data deleted, and it is exercised within the promised time.",
    reviewerAction: "Describe the deletion path (endpoint, runbook or support process) and attest it has been tested.",
    verification: "manual",
    blocking: true,
  },
  {
    id: "data-handling.log-redaction",
    section: "data-handling",
    title: "Logs redact personal data and never hold tokens or raw prompts",
    guidance:
      "Personal data is redacted before it is written to logs. Authorization headers, tokens, raw request bodies, tool arguments and prompt text stay out of logs unless strictly necessary.",
    reviewerAction: "Review each flagged log statement; confirm the logger redacts sensitive fields.",
    verification: "automatic",
    blocking: true,
  },
  {
    id: "data-handling.correlation-ids",
    section: "data-handling",
    title: "Requests are traceable by correlation id instead of content",
    guidance: "Debugging relies on correlation ids stored with each request, not on keeping prompt text or personal data.",
    reviewerAction: "Confirm logs carry a request or correlation id.",
    verification: "manual",
    blocking: false,
  },
  // prompt injection and write actions
  {
    id: "prompt-injection.tool-descriptions",
    section: "prompt-injection",
    title: "Tool descriptions contain no instructions aimed at the model and no hidden text",
    guidance:
      "Names, titles and descriptions describe what a tool does. They carry no hidden characters, no instructions to ignore the user or other tools, and no requests to read secrets or send data elsewhere.",
    reviewerAction: "Read every flagged description in full, including the invisible characters shown, and ask for it to be rewritten.",
    verification: "automatic",
    blocking: true,
  },
  {
    id: "prompt-injection.misuse-guidance",
    section: "prompt-injection",
    title: "Descriptions of write tools say what they must not be used for",
    guidance:
      'Descriptions are reviewed regularly and discourage misuse, e.g. "Do not use to delete records". A changed description after review is looked at again.',
    reviewerAction: "Confirm each write or destructive tool's description states its limits.",
    verification: "automatic",
    blocking: false,
  },
  {
    id: "prompt-injection.annotations",
    section: "prompt-injection",
    title: "Tool annotations match what each tool does",
    guidance:
      "Read-only tools say readOnlyHint; tools that change or delete data say destructiveHint; tools that reach outside systems say openWorldHint. Missing annotations default to destructive and open-world.",
    reviewerAction: "Check each flagged tool's annotations against its handler.",
    verification: "automatic",
    blocking: true,
  },
  {
    id: "prompt-injection.input-validation",
    section: "prompt-injection",
    title: "Every input is validated on the server",
    guidance:
      "Arguments the model supplies are validated server-side with a strict schema, especially values used in paths, URLs, shell commands or queries.",
    reviewerAction: "Confirm each flagged tool gets a strict input schema and that risky values are checked before use.",
    verification: "automatic",
    blocking: true,
  },
  {
    id: "prompt-injection.human-confirmation",
    section: "prompt-injection",
    title: "Irreversible operations require human confirmation",
    guidance:
      "Deleting, sending, paying or publishing asks the user first: through destructiveHint so ChatGPT prompts, and through a confirmation step the server enforces.",
    reviewerAction: "For each irreversible tool, attest how confirmation is obtained (annotation, two-step flow, or widget confirmation).",
    verification: "both",
    blocking: true,
  },
  {
    id: "prompt-injection.injection-testing",
    section: "prompt-injection",
    title: "Prompt-injection test prompts were run by QA",
    guidance: "The team keeps a set of injection prompts and has QA probe the connector with them before launch.",
    reviewerAction: "Link the injection test prompts and the results of the last run.",
    verification: "manual",
    blocking: false,
  },
  // network
  {
    id: "network.widget-csp",
    section: "network",
    title: "Widget CSP declares exactly the domains the widget uses",
    guidance:
      "Widgets run under a strict Content Security Policy. The declared connect, resource and frame domains match what the widget loads, with no wildcards or plain-http origins, and a widget domain is set.",
    reviewerAction: "Review flagged domains; frame domains need a written justification.",
    verification: "automatic",
    blocking: true,
  },
  {
    id: "network.widget-sandbox-apis",
    section: "network",
    title: "Widgets don't rely on browser APIs the sandbox blocks",
    guidance:
      "alert, prompt, confirm and the clipboard API are unavailable in the widget sandbox; the widget uses the host's APIs instead.",
    reviewerAction: "Confirm flagged calls are replaced.",
    verification: "automatic",
    blocking: false,
  },
  {
    id: "network.outbound-tls",
    section: "network",
    title: "Outbound calls verify TLS",
    guidance: "Server-side requests keep certificate verification on; nothing disables it globally or per request.",
    reviewerAction: "Confirm every flagged place is fixed.",
    verification: "automatic",
    blocking: true,
  },
  {
    id: "network.timeouts-retries",
    section: "network",
    title: "Outbound calls have timeouts and sensible retries",
    guidance: "Calls to other services time out, and transient failures are retried with backoff rather than hanging a tool call.",
    reviewerAction: "Check flagged calls; confirm a timeout or abort signal is added.",
    verification: "automatic",
    blocking: false,
  },
  {
    id: "network.transport-hardening",
    section: "network",
    title: "The HTTP transport keeps DNS-rebinding protection and a safe CORS policy",
    guidance: "The MCP HTTP transport checks Host and Origin, and CORS never combines a wildcard origin with credentials.",
    reviewerAction: "Confirm flagged transport settings are fixed.",
    verification: "automatic",
    blocking: true,
  },
  // auth
  {
    id: "auth.oauth-pkce-dcr",
    section: "auth",
    title: "OAuth 2.1 with PKCE (S256) and dynamic client registration",
    guidance:
      "Linked accounts use OAuth 2.1: protected resource metadata names the authorization servers, which support PKCE with S256 and dynamic client registration (or client ID metadata documents).",
    reviewerAction: "Confirm the metadata endpoints answer as flagged and that PKCE is enforced.",
    verification: "automatic",
    blocking: true,
  },
  {
    id: "auth.scopes-enforced",
    section: "auth",
    title: "Scopes are declared per tool and enforced on every call",
    guidance:
      "Each tool declares its security schemes and the server checks the token's scopes on every call, answering 403 when they are insufficient.",
    reviewerAction: "Check that each flagged tool declares and checks its scopes.",
    verification: "automatic",
    blocking: true,
  },
  {
    id: "auth.token-validation",
    section: "auth",
    title: "Expired or malformed tokens are rejected with 401",
    guidance:
      "Tokens are verified (signature, issuer, audience, expiry) on every request; bad ones get 401 with a WWW-Authenticate challenge. Tokens never come from query strings and are never passed through to other services.",
    reviewerAction: "Review the flagged verification code.",
    verification: "automatic",
    blocking: true,
  },
  {
    id: "auth.no-long-lived-secrets",
    section: "auth",
    title: "No long-lived secrets in code or configuration",
    guidance:
      "Private keys, API keys and tokens are not committed. With built-in identity, the connector uses the auth context it is given instead of storing long-lived secrets.",
    reviewerAction: "Rotate every exposed secret, remove it from the repository and its history, and confirm.",
    verification: "automatic",
    blocking: true,
  },
  // operations
  {
    id: "operations.security-review",
    section: "operations",
    title: "A security review was held before launch",
    guidance: "The connector had a security review before launch, deeper when it handles regulated data (health, finance, children).",
    reviewerAction: "Attest the review took place; link its notes and say whether regulated data is involved.",
    verification: "manual",
    blocking: true,
  },
  {
    id: "operations.monitoring-alerts",
    section: "operations",
    title: "Anomalous traffic is monitored and alerts fire on repeated errors or failed auth",
    guidance: "Production is watched: dashboards for traffic patterns, alerts on error spikes and on repeated authentication failures.",
    reviewerAction: "Link the dashboards and alert rules.",
    verification: "both",
    blocking: true,
  },
  {
    id: "operations.dependencies-patched",
    section: "operations",
    title: "No known-vulnerable dependencies; React, SDKs and build tooling patched",
    guidance: "Locked versions carry no known advisories, and React, Next.js, the MCP SDK and build tooling are kept current.",
    reviewerAction: "Upgrade each vulnerable package to its fixed version, or justify a waiver.",
    verification: "automatic",
    blocking: true,
  },
  {
    id: "operations.dependency-hygiene",
    section: "operations",
    title: "Dependencies are locked and updates are automated",
    guidance: "Every package manifest has a lockfile in sync with it, and Dependabot or Renovate proposes updates.",
    reviewerAction: "Confirm a lockfile is committed and an update bot is configured.",
    verification: "automatic",
    blocking: false,
  },
  {
    id: "operations.ci-hardening",
    section: "operations",
    title: "CI workflows run with least privilege",
    guidance:
      "Workflows set minimal permissions, pin third-party actions to a commit, never run untrusted pull-request code with secrets, and never print secrets.",
    reviewerAction: "Review flagged workflow lines.",
    verification: "automatic",
    blocking: false,
  },
];

export const CHECKLIST_V1: ChecklistTemplate = deepFreeze({ version: 1, sections, items });

/**
 * Version 2: defense in depth is decided partly by the code too. Widget code that renders tool output as HTML, or
 * listens to messages without checking who sent them, fails it; in version 1 those findings pointed at a manual item
 * and could never fail anything.
 */
export const CHECKLIST_V2: ChecklistTemplate = deepFreeze({
  version: 2,
  sections,
  items: items.map((i) =>
    i.id === "principles.defense-in-depth"
      ? {
          ...i,
          verification: "both" as const,
          reviewerAction:
            "Fix what the checks found in widget code (tool output rendered as HTML, message listeners that trust any sender), then confirm the server keeps an audit log of write actions (who, what, when) and link to where it is configured.",
        }
      : i,
  ),
});

/** Every published template version, so a review can be read with the version it was started on. */
export const CHECKLIST_TEMPLATES: ReadonlyMap<number, ChecklistTemplate> = new Map([
  [1, CHECKLIST_V1],
  [2, CHECKLIST_V2],
]);
export const CURRENT_CHECKLIST = CHECKLIST_V2;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
