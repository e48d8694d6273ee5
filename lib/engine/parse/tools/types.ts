// The tool manifest: every tool and widget resource a connector declares, read statically from its source.

import type { DeclarationStyle, DynamicValue, InputField, InputSchemaSummary, StaticValue } from "@/lib/core/types";

export type { DeclarationStyle, DynamicValue, InputField, InputSchemaSummary, StaticValue };

/** What a handler's code does, from its text and the same-file or imported helpers it calls. */
export interface HandlerEffects {
  /** HTTP methods other than GET the handler sends. */
  httpWrites: string[];
  /** Database writes (SQL INSERT/UPDATE/DELETE, ORM writes). */
  dbWrites: boolean;
  /** Destructive operations in code (SQL DELETE/DROP, HTTP DELETE, file removal). */
  deletes: boolean;
  fileWrites: boolean;
  shell: boolean;
  /** Outbound HTTP of any kind. */
  outbound: boolean;
  /** Input values flowing into URLs, paths, shell commands or SQL: `{ kind, field, excerpt }`. */
  sinks: Array<{
    kind: "url" | "path" | "shell" | "sql";
    field: string;
    excerpt: string;
    /** For URLs: the input decides where the request goes (its origin), not just a path or query value. */
    originFromInput: boolean;
  }>;
  /** The handler asks the user to confirm (MCP elicitation, a confirm/dry-run flag). */
  confirmation: boolean;
}

export interface ToolDecl {
  name: string;
  title: string | null;
  description: string | null;
  annotations: Record<string, StaticValue> | null;
  securitySchemes: StaticValue[] | null;
  meta: Record<string, StaticValue> | null;
  inputSchema: InputSchemaSummary;
  location: { path: string; line: number };
  /** Where the description is written, when not on the declaration's first line (a Python tool's docstring). */
  descriptionAt?: { path: string; line: number };
  /**
   * Where a served list builds the tool's entry from its definition (`defs.map((t) => ({ name: t.name, … }))` in a
   * tools/list handler), when that is not where the tool is defined: what the list leaves out is left out there.
   */
  listedAt?: { path: string; line: number };
  /**
   * The function the handler hands the tool's arguments on to, when it dispatches through a registry entry
   * (`toolDef.handler(ctx, args)` in a loop over the registry): the tool's real code.
   */
  handlerDelegate?: { path: string; line: number };
  /** Where the annotations are written, when apart from the declaration (one set built before a loop registers tools). */
  annotationsAt?: { path: string; line: number };
  /** Fields whose value is not statically known ("description", "annotations.readOnlyHint", …). */
  dynamic: string[];
  style: DeclarationStyle;
  /** Set when the tool is registered in a loop over data the parser could not read: what the loop iterates. */
  loop: string | null;
  /** What the handler does; null when the handler could not be found. */
  effects: HandlerEffects | null;
  /** Where the handler's code starts (its function, or the dispatcher branch that serves the tool). */
  handler: { path: string; line: number } | null;
}

export interface WidgetResource {
  uri: string;
  name: string | null;
  mimeType: string | null;
  meta: Record<string, StaticValue> | null;
  /** The widget's HTML when it is statically known. */
  html: string | null;
  location: { path: string; line: number };
  /** Where `openai/widgetDomain` is written, when the parser could tell. */
  domainAt?: { path: string; line: number };
  dynamic: string[];
}

/** A network reference in widget code: what it loads or contacts, and from which CSP list it needs a domain. */
export interface WidgetHostUse {
  host: string;
  scheme: string;
  url: string;
  kind: "connect" | "resource" | "frame";
  how: string;
  location: { path: string; line: number };
}

export interface ToolManifest {
  tools: ToolDecl[];
  resources: WidgetResource[];
  widgetHosts: WidgetHostUse[];
  /** Files that may declare tools but could not be parsed (too large, minified, too deep, too many syntax errors). */
  unparseable: Array<{ path: string; reason: string }>;
}
