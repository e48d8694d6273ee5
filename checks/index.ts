// The registry of checks, an explicit sorted list (no registration by import side effect).
import { ciWorkflowsCheck } from "./ci-workflows";
import { dataRetentionCheck } from "./data-retention";
import { dependenciesCheck } from "./dependencies";
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
import type { Check } from "./types";
import { widgetApisCheck } from "./widget-apis";
import { widgetCspCheck } from "./widget-csp";
import { widgetDataCheck } from "./widget-data";

export type { Check, CheckContext, CheckOutcome, Rule } from "./types";
export type { Finding, SectionId, Severity } from "@/lib/core/types";

export const CHECKS: readonly Check[] = [
  ciWorkflowsCheck,
  dataRetentionCheck,
  dependenciesCheck,
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
].sort((a, b) => a.id.localeCompare(b.id));

export function checkById(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}
