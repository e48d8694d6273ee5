// The registry of checks, an explicit sorted list (no registration by import side effect).
import { secretsCheck } from "./secrets";
import type { Check } from "./types";

export type { Check, CheckContext, CheckOutcome, Finding, Rule, SectionId, Severity } from "./types";

export const CHECKS: readonly Check[] = [secretsCheck].sort((a, b) => a.id.localeCompare(b.id));

export function checkById(id: string): Check | undefined {
  return CHECKS.find((c) => c.id === id);
}
