// The registry of checks, an explicit sorted list (no registration by import side effect).
import { authRequiredCheck } from "./auth-required";
import { ciWorkflowsCheck } from "./ci-workflows";
import { dataRetentionCheck } from "./data-retention";
import { dependenciesCheck } from "./dependencies";
import { flowCheck } from "./flow";
import { lockfilesCheck } from "./lockfiles";
import { loggingCheck } from "./logging";
import { monitoringCheck } from "./monitoring";
import { networkTimeoutsCheck } from "./network-timeouts";
import { networkTlsCheck } from "./network-tls";
import { oauthMetadataCheck } from "./oauth-metadata";
import { oauthServerCheck } from "./oauth-server";
import { repoConfigCheck } from "./repo-config";
import { secretsCheck } from "./secrets";
import { submissionFileCheck } from "./submission-file";
import { structuredContentCheck } from "./structured-content";
import { supplyChainCheck } from "./supply-chain";
import { tokenVerificationCheck } from "./token-verification";
import { toolAnnotationsCheck } from "./tool-annotations";
import { toolDescriptionsCheck } from "./tool-descriptions";
import { toolInputCheck } from "./tool-input";
import { toolScopesCheck } from "./tool-scopes";
import { transportCheck } from "./transport";
import type { FindingTags } from "@/lib/core/report";
import type { Check, Rule } from "./types";
import { widgetApisCheck } from "./widget-apis";
import { widgetCspCheck } from "./widget-csp";
import { widgetDataCheck } from "./widget-data";
import { compareText } from "@/lib/core/compare";

export type { Check, CheckContext, CheckOutcome, Rule } from "./types";
export type { Finding, SectionId, Severity } from "@/lib/core/types";

export const CHECKS: readonly Check[] = [
  authRequiredCheck,
  ciWorkflowsCheck,
  dataRetentionCheck,
  dependenciesCheck,
  flowCheck,
  lockfilesCheck,
  loggingCheck,
  monitoringCheck,
  networkTimeoutsCheck,
  networkTlsCheck,
  oauthMetadataCheck,
  oauthServerCheck,
  repoConfigCheck,
  secretsCheck,
  structuredContentCheck,
  submissionFileCheck,
  supplyChainCheck,
  tokenVerificationCheck,
  toolAnnotationsCheck,
  toolDescriptionsCheck,
  toolInputCheck,
  toolScopesCheck,
  transportCheck,
  widgetApisCheck,
  widgetCspCheck,
  widgetDataCheck,
].sort((a, b) => compareText(a.id, b.id));

export function checkById(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}

/** Every rule of the registry by its id. */
const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(CHECKS.flatMap((c) => c.rules.map((r) => [r.id, r] as const)));

export function ruleById(id: string): Rule | undefined {
  return RULES_BY_ID.get(id);
}

/** A rule's OWASP MCP Top 10 category and CWE ids as findings carry them: the JSON report, the app and SARIF agree. */
export function findingTags(rule: Rule | undefined): FindingTags | undefined {
  const owasp = rule?.tags?.owasp;
  const cwe = rule?.tags?.cwe ?? [];
  if (!owasp && cwe.length === 0) return undefined;
  return { ...(owasp ? { owasp } : {}), ...(cwe.length > 0 ? { cwe: [...cwe] } : {}) };
}
