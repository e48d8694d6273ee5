// Server-side JS/TS: what runs in the connector's process. Tests, widget code and React client components
// ("use client", which run in the browser) are left out, so server rules don't judge browser code.
import type { Facts } from "../facts/container";
import { ts } from "./js";
import { jsIndex, type JsFileIndex } from "./js-index";
import { isTestPath } from "./source-kind";
import { widgetFiles } from "./widgets";

/** Whether a file starts with the "use client" directive. */
export function isClientComponent(sourceFile: ts.SourceFile): boolean {
  for (const s of sourceFile.statements) {
    if (!ts.isExpressionStatement(s) || !ts.isStringLiteral(s.expression)) return false;
    if (s.expression.text === "use client") return true;
  }
  return false;
}

export function serverJsFiles(facts: Facts): readonly JsFileIndex[] {
  return facts.memo("code:server-js", () => {
    const widgets = widgetFiles(facts).reasons;
    return jsIndex(facts).filter((f) => !isTestPath(f.path) && !widgets.has(f.path) && !isClientComponent(f.sourceFile));
  });
}
