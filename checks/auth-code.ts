// Which files the auth checks judge: what runs in the connector's server process.
import { pathRole } from "@/lib/engine/facts/roles";
import type { CheckContext } from "./types";

const NOT_SERVED = new Set(["test", "fixture", "docs", "example", "vendored", "generated"]);

/** Server code and scripts are judged; tests, fixtures, docs, examples, vendored and generated code, widgets and browser code are not. */
export function judgedFiles(ctx: CheckContext): (path: string) => boolean {
  return (p) => {
    const role = ctx.facts.code.file(p)?.role;
    return role === "server" || role === "script";
  };
}

/** Files served as they are (`.well-known/…`) count unless their folder says they are tests, docs or examples. */
export function servedStaticFile(p: string): boolean {
  const role = pathRole(p)?.role;
  return role === undefined || !NOT_SERVED.has(role);
}
