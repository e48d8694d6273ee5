// The role of any path of the snapshot, code or not: code files have the role the facts gave them (from the path,
// then from what the code does); other files (configuration, YAML, .env) get the role their path alone decides.
import type { FileRole } from "@/lib/core/facts";
import type { CodeFacts } from "./code";
import { pathRole } from "./roles";

/** Roles whose files don't run in production: rules about the connector's own code and configuration skip them. */
export const NOT_SHIPPED_ROLES: ReadonlySet<FileRole> = new Set(["test", "fixture", "docs", "example", "vendored", "generated"]);

/** A code file's role, or the role its path decides; null for a path that says nothing (a root config file). */
export function roleOfPath(code: CodeFacts, repoPath: string): FileRole | null {
  return code.file(repoPath)?.role ?? pathRole(repoPath)?.role ?? null;
}

/** Whether a path belongs to what ships: not a test, fixture, document, example, vendored copy or generated file. */
export function isShippedPath(code: CodeFacts, repoPath: string): boolean {
  const role = roleOfPath(code, repoPath);
  return role === null || !NOT_SHIPPED_ROLES.has(role);
}
