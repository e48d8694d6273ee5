// Helpers for statically read values: the dynamic marker, where dynamic values sit, and typed accessors.
import type { DynamicValue, StaticValue } from "@/lib/core/types";
import { compareText } from "@/lib/core/compare";

const MAX_DYNAMIC_TEXT = 120;

export function dynamic(text: string): DynamicValue {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return { $dynamic: oneLine.length > MAX_DYNAMIC_TEXT ? `${oneLine.slice(0, MAX_DYNAMIC_TEXT)}…` : oneLine };
}

export function isDynamic(value: unknown): value is DynamicValue {
  return typeof value === "object" && value !== null && !Array.isArray(value) && typeof (value as DynamicValue).$dynamic === "string";
}

export function isRecord(value: unknown): value is Record<string, StaticValue> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !isDynamic(value);
}

/** Dotted paths of every dynamic value inside `value`, prefixed by `prefix`. */
export function dynamicPaths(value: StaticValue | undefined, prefix: string, out: string[] = [], depth = 0): string[] {
  if (value === undefined || depth > 20) return out;
  if (isDynamic(value)) out.push(prefix);
  else if (Array.isArray(value)) value.forEach((v, i) => dynamicPaths(v, `${prefix}[${i}]`, out, depth + 1));
  else if (isRecord(value))
    for (const [k, v] of Object.entries(value)) dynamicPaths(v, k === "$spread" ? prefix : `${prefix}.${k}`, out, depth + 1);
  return out;
}

export function stringOrNull(value: StaticValue | undefined): string | null {
  return typeof value === "string" ? value : null;
}

/** The object at `value`, or null when it is absent or not an object. */
export function recordOrNull(value: StaticValue | undefined): Record<string, StaticValue> | null {
  return isRecord(value) ? value : null;
}

/** Stable JSON: keys sorted, so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => compareText(a, b)))
      : v,
  );
}

/** The tool's security schemes, top-level or mirrored in `_meta.securitySchemes`. */
export function securitySchemesOf(topLevel: StaticValue | undefined, meta: Record<string, StaticValue> | null): StaticValue[] | null {
  if (Array.isArray(topLevel)) return topLevel;
  const fromMeta = meta?.securitySchemes;
  return Array.isArray(fromMeta) ? fromMeta : null;
}
