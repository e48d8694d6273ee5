// Defensive readers for parsed lockfile data: a hostile lockfile can put any type anywhere, and a key such as
// "constructor" must never reach Object.prototype through a plain property lookup.
import path from "node:path";

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An own property of a record, or undefined (never an inherited one). */
export function own(record: unknown, key: string): unknown {
  return isRecord(record) && Object.hasOwn(record, key) ? record[key] : undefined;
}

export function ownRecord(record: unknown, key: string): JsonRecord | undefined {
  const value = own(record, key);
  return isRecord(value) ? value : undefined;
}

export function ownString(record: unknown, key: string): string | undefined {
  const value = own(record, key);
  return typeof value === "string" ? value : undefined;
}

/** Own entries of a record whose values are strings: a dependency map (`{ name: range }`). Other values are ignored. */
export function stringEntries(value: unknown): Array<[string, string]> {
  if (!isRecord(value)) return [];
  const out: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(value)) if (typeof v === "string") out.push([k, v]);
  return out;
}

/**
 * Splits "name@version" (and "@scope/name@version") at the "@" that ends the name. Null when there is none.
 * The version part may itself contain "@" (an alias or a git URL): only the first separator counts.
 */
export function splitNameAt(ident: string): { name: string; rest: string } | null {
  const at = ident.indexOf("@", ident.startsWith("@") ? 1 : 0);
  if (at <= 0) return null;
  return { name: ident.slice(0, at), rest: ident.slice(at + 1) };
}

/** The package name an npm alias spec ("npm:real-name@^1.2.0") points at, with its range; null for other specs. */
export function npmAlias(spec: string): { name: string; range: string } | null {
  if (!spec.startsWith("npm:")) return null;
  const target = spec.slice(4);
  const split = splitNameAt(target);
  if (split) return { name: split.name, range: split.rest };
  return target.length > 0 ? { name: target, range: "*" } : null;
}

/** Short, single-line text for messages about lockfile content. */
export function clip(text: string, max = 120): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Why a parser threw, for an unparseable-lockfile reason: a stack overflow means nesting, not a parser bug. */
export function parserFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Some parsers catch the stack overflow and rethrow it as their own error type with the same message.
  if (error instanceof RangeError || message.includes("Maximum call stack size exceeded")) return "nested too deeply to read";
  return (message.split("\n")[0] ?? "").slice(0, 200);
}

/** The folder of a path in the repository: "" at its root. */
export function folderOf(filePath: string): string {
  const dir = path.posix.dirname(filePath);
  return dir === "." ? "" : dir;
}
