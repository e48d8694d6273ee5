// Finds every page, route handler and server action in app/, so the access table can't silently miss one.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

const APP = path.resolve("app");
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

/** "/connectors/[id]" from "app/connectors/[id]/page.tsx"; private (_x) folders and (groups) don't route. */
function routeOf(file: string): string | null {
  const rel = path.relative(APP, path.dirname(file)).split(path.sep).filter(Boolean);
  if (rel.some((s) => s.startsWith("_"))) return null;
  const segments = rel.filter((s) => !/^\(.*\)$/.test(s));
  return `/${segments.join("/")}`;
}

function exportedNames(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const names: string[] = [];
  for (const stmt of source.statements) {
    const exported = ts.canHaveModifiers(stmt) && ts.getModifiers(stmt)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isFunctionDeclaration(stmt) && stmt.name) names.push(stmt.name.text);
    if (ts.isVariableStatement(stmt))
      for (const d of stmt.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
  }
  return names;
}

export function discoverRoutes(): string[] {
  const keys: string[] = [];
  for (const file of walk(APP)) {
    const name = path.basename(file);
    const route = routeOf(file);
    if (route === null) continue;
    if (/^page\.(tsx|ts|jsx|js)$/.test(name)) keys.push(`GET ${route}`);
    if (/^route\.(ts|js)$/.test(name)) for (const m of exportedNames(file).filter((n) => METHODS.includes(n))) keys.push(`${m} ${route}`);
  }
  return keys.sort();
}

export function discoverActions(): string[] {
  const keys: string[] = [];
  for (const file of walk(APP).filter((f) => /\.(ts|tsx)$/.test(f))) {
    const text = fs.readFileSync(file, "utf8");
    if (!/^\s*(\/\/.*\n\s*)*["']use server["']/.test(text)) continue;
    const rel = path.relative(APP, file).split(path.sep).join("/");
    for (const name of exportedNames(file)) keys.push(`${rel}#${name}`);
  }
  return keys.sort();
}
