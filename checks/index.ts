// The registry of checks, an explicit sorted list (no registration by import side effect).
import { networkTimeoutsCheck } from "./network-timeouts";
import { networkTlsCheck } from "./network-tls";
import { secretsCheck } from "./secrets";
import { structuredContentCheck } from "./structured-content";
import { transportCheck } from "./transport";
import type { Check } from "./types";
import { widgetApisCheck } from "./widget-apis";
import { widgetDataCheck } from "./widget-data";

export type { Check, CheckContext, CheckOutcome, Finding, Rule, SectionId, Severity } from "./types";

export const CHECKS: readonly Check[] = [
  networkTimeoutsCheck,
  networkTlsCheck,
  secretsCheck,
  structuredContentCheck,
  transportCheck,
  widgetApisCheck,
  widgetDataCheck,
].sort((a, b) => a.id.localeCompare(b.id));

export function checkById(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}
