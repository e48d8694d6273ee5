// The serialization stored hashes are computed over (audit chain, sign-off decisions, tool digests): keys sorted,
// undefined written as null, dates as ISO strings, so equal values hash alike whatever their property order.
// Changing its output changes every stored hash: the audit chain would no longer verify.
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}
