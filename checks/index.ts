// The registry of checks, an explicit sorted list (no registration by import side effect).
import { secretsCheck } from "./secrets";
import { toolAnnotationsCheck } from "./tool-annotations";
import { toolDescriptionsCheck } from "./tool-descriptions";
import { toolInputCheck } from "./tool-input";
import { toolScopesCheck } from "./tool-scopes";
import type { Check } from "./types";
import { widgetCspCheck } from "./widget-csp";

export type { Check, CheckContext, CheckOutcome, Finding, Rule, SectionId, Severity } from "./types";

export const CHECKS: readonly Check[] = [
  secretsCheck,
  toolAnnotationsCheck,
  toolDescriptionsCheck,
  toolInputCheck,
  toolScopesCheck,
  widgetCspCheck,
].sort((a, b) => a.id.localeCompare(b.id));

export function checkById(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}
