// A widget resource's CSP and domain as declared, in either dialect: the Apps SDK's `openai/widgetCSP` and
// `openai/widgetDomain`, and MCP Apps' `ui.csp` and `ui.domain`.
import type { StaticValue } from "@/lib/core/types";
import { isDynamic, isRecord } from "../parse/tools/values";
import type { WidgetResource } from "../parse/tools/types";

export type CspList = "connect" | "resource" | "frame" | "redirect" | "baseUri";
export const LISTS: Record<CspList, { openai: string; ui: string }> = {
  connect: { openai: "connect_domains", ui: "connectDomains" },
  resource: { openai: "resource_domains", ui: "resourceDomains" },
  frame: { openai: "frame_domains", ui: "frameDomains" },
  redirect: { openai: "redirect_domains", ui: "redirectDomains" },
  baseUri: { openai: "base_uri_domains", ui: "baseUriDomains" },
};

export interface WidgetCsp {
  /** Where the declaration came from: "openai/widgetCSP" or "ui.csp". */
  sources: string[];
  lists: Record<CspList, string[]>;
  dynamic: boolean;
  domain: string | null;
  /** The Apps SDK's `openai/widgetDomain` as written (an origin, `https://host`), when that is where the domain came from. */
  openaiDomain: string | null;
}

export function readWidgetCsp(r: WidgetResource): WidgetCsp {
  const meta = r.meta ?? {};
  const lists: Record<CspList, string[]> = { connect: [], resource: [], frame: [], redirect: [], baseUri: [] };
  const sources: string[] = [];
  let dyn = false;
  const ui = isRecord(meta.ui) ? meta.ui : null;
  const openaiNested = isRecord(meta.openai) ? meta.openai : null;
  const decls: Array<[string, StaticValue | undefined, "openai" | "ui"]> = [
    ["openai/widgetCSP", meta["openai/widgetCSP"] ?? openaiNested?.widgetCSP, "openai"],
    ["ui.csp", ui?.csp ?? meta["ui/csp"], "ui"],
  ];
  for (const [label, decl, style] of decls) {
    if (decl === undefined) continue;
    sources.push(label);
    if (!isRecord(decl)) {
      dyn = true;
      continue;
    }
    for (const key of Object.keys(LISTS) as CspList[]) {
      const v = decl[LISTS[key][style]];
      if (v === undefined) continue;
      if (!Array.isArray(v)) {
        dyn = true;
        continue;
      }
      for (const entry of v) {
        if (typeof entry === "string") lists[key].push(entry);
        else if (isDynamic(entry)) dyn = true;
      }
    }
  }
  const openai = meta["openai/widgetDomain"] ?? openaiNested?.widgetDomain;
  const domain = openai ?? ui?.domain ?? meta["ui/domain"];
  return {
    sources,
    lists,
    dynamic: dyn,
    domain: typeof domain === "string" ? domain : isDynamic(domain) ? "(dynamic)" : null,
    openaiDomain: typeof openai === "string" ? openai : null,
  };
}

