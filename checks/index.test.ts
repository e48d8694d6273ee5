// The registry is the one list of checks: every fact about them (rules, items, SARIF metadata) is derived from it,
// and these tests hold the links it derives.
import { describe, expect, it } from "vitest";
import { ITEM_IDS } from "@/lib/core/types";
import { checksByItem } from "@/lib/engine/checklist/derive";
import { CURRENT_CHECKLIST } from "@/lib/engine/checklist/template";
import { CHECKS } from ".";

const items = new Map(CURRENT_CHECKLIST.items.map((i) => [i.id as string, i]));
const allRules = CHECKS.flatMap((c) => c.rules.map((r) => ({ check: c.id, rule: r })));

describe("the checks registry", () => {
  it("is sorted by id, with unique check and rule ids", () => {
    const ids = CHECKS.map((c) => c.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    const ruleIds = allRules.map((r) => r.rule.id);
    expect(new Set(ruleIds).size).toBe(ruleIds.length);
    for (const { check, rule } of allRules) expect(rule.id.length, `${check}: ${rule.id}`).toBeGreaterThan(3);
  });

  it("links every rule to an item it can fail, or declares it informational", () => {
    for (const { check, rule } of allRules) {
      if (rule.item === "informational") {
        // An informational rule may help the reviewer of one item (its findings show there), never decide it.
        if (rule.hint) expect(items.has(rule.hint), `${rule.id} hints at ${rule.hint}`).toBe(true);
        continue;
      }
      expect(rule.hint, `${rule.id}: only informational rules give hints`).toBeUndefined();
      const item = items.get(rule.item);
      expect(item, `${check} ${rule.id} -> ${rule.item}`).toBeDefined();
      // A manual item is settled by a reviewer's attestation: findings can't fail it.
      expect(item!.verification, `${rule.id} points at manual item ${rule.item}`).not.toBe("manual");
      // Info findings never change an item's status.
      expect(rule.severity, `${rule.id} is info-only: declare it informational`).not.toBe("info");
    }
  });

  it("decides every automatic item with at least one check, and no manual item", () => {
    const deciding = checksByItem(CHECKS);
    for (const id of ITEM_IDS) {
      const item = items.get(id)!;
      if (item.verification === "manual") expect(deciding.get(id) ?? [], id).toEqual([]);
      else expect((deciding.get(id) ?? []).length, `${id} has no check`).toBeGreaterThan(0);
    }
  });

  it("gives every rule its wording: title, why and fix", () => {
    for (const { rule } of allRules) {
      expect(rule.title.length, rule.id).toBeGreaterThan(5);
      expect(rule.rationale.length, rule.id).toBeGreaterThan(20);
      expect(rule.remediation.length, rule.id).toBeGreaterThan(10);
    }
  });
});
