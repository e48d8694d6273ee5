// Compares two scans' tool manifests: added and removed tools, and changed titles, descriptions, annotations, scopes,
// _meta and inputs, word by word.
import { diffWords } from "diff";
import { canonicalJson } from "@/lib/engine/parse/tools/values";
import type { ReportTool } from "@/lib/core/report";
import { compareText } from "@/lib/core/compare";

export type ToolField = "title" | "description" | "annotations" | "scopes" | "meta" | "input";

export interface DiffPart {
  value: string;
  added?: boolean;
  removed?: boolean;
}

export interface FieldChange {
  field: ToolField;
  before: string;
  after: string;
  parts: DiffPart[];
}

export interface ToolChange {
  name: string;
  kind: "added" | "removed" | "changed";
  tool: ReportTool;
  fields: FieldChange[];
}

export interface ManifestDiff {
  changes: ToolChange[];
  unchanged: number;
}

/** Annotations as one readable line: "readOnlyHint: true, destructiveHint: false". */
export function annotationsText(a: ReportTool["annotations"]): string {
  if (!a) return "(none)";
  return Object.entries(a)
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : canonicalJson(v)}`)
    .join(", ");
}

/** Security schemes as one readable line: "noauth | oauth2 (notes.read notes.write)". */
export function scopesText(schemes: ReportTool["securitySchemes"]): string {
  if (!schemes) return "(none declared)";
  return schemes
    .map((s) => {
      if (!s || typeof s !== "object") return canonicalJson(s);
      const { type, scopes } = s as { type?: unknown; scopes?: unknown };
      const list = Array.isArray(scopes) ? scopes.map(String).join(" ") : "";
      return `${String(type ?? "?")}${list ? ` (${list})` : ""}`;
    })
    .join(" | ");
}

function inputText(t: ReportTool): string {
  const s = t.inputSchema;
  if (!s) return "";
  if (s.kind === "none") return "(no input schema)";
  return [...s.fields.map((f) => `${f.name}${f.optional ? "?" : ""}: ${f.type}`), ...(s.open ? ["(open)"] : [])].join(", ");
}

function fieldsOf(t: ReportTool): Record<ToolField, string> {
  const { securitySchemes: _s, ...meta } = t.meta ?? {};
  return {
    title: t.title ?? "",
    description: t.description ?? "",
    annotations: annotationsText(t.annotations),
    scopes: scopesText(t.securitySchemes),
    meta: Object.keys(meta).length > 0 ? canonicalJson(meta) : "",
    input: inputText(t),
  };
}

export function diffManifests(before: readonly ReportTool[], after: readonly ReportTool[]): ManifestDiff {
  const old = new Map<string, ReportTool>();
  for (const t of before) if (!old.has(t.name)) old.set(t.name, t);
  const seen = new Set<string>();
  const changes: ToolChange[] = [];
  let unchanged = 0;
  for (const t of after) {
    if (seen.has(t.name)) continue;
    seen.add(t.name);
    const prev = old.get(t.name);
    if (!prev) {
      changes.push({ name: t.name, kind: "added", tool: t, fields: [] });
      continue;
    }
    const a = fieldsOf(prev);
    const b = fieldsOf(t);
    const fields: FieldChange[] = [];
    for (const field of Object.keys(b) as ToolField[]) {
      if (a[field] === b[field]) continue;
      fields.push({ field, before: a[field], after: b[field], parts: diffWords(a[field], b[field]) });
    }
    if (fields.length > 0) changes.push({ name: t.name, kind: "changed", tool: t, fields });
    else unchanged++;
  }
  for (const [name, t] of old) if (!seen.has(name)) changes.push({ name, kind: "removed", tool: t, fields: [] });
  const order = { removed: 0, added: 1, changed: 2 } as const;
  changes.sort((x, y) => order[x.kind] - order[y.kind] || compareText(x.name, y.name));
  return { changes, unchanged };
}
