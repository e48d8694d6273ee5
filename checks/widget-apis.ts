// Widget code that relies on browser APIs ChatGPT's sandboxed iframe blocks: alert, confirm, prompt, the clipboard.
import { lineOf, ts } from "@/lib/engine/parse/js";
import { enclosingFunction, memberName, type JsFileIndex } from "@/lib/engine/parse/js-index";
import { widgetFiles } from "@/lib/engine/parse/widgets";
import { codeCoverageProblem } from "@/lib/engine/parse/coverage";
import { codeFinding, finish } from "./evidence";
import { defineRule } from "./rule";
import type { Check } from "./types";
import type { Finding } from "@/lib/core/types";

const ITEM = "network.widget-sandbox-apis";

export const rules = {
  dialog: defineRule({
    id: "widget/blocked-dialog",
    severity: "moderate",
    title: "Widget calls alert, confirm or prompt",
    rationale:
      "Widgets run in a sandboxed iframe without modal dialogs: the call returns at once (confirm gives false, prompt null), so the step it guards silently never happens or always happens.",
    remediation:
      "Show the message or the confirmation inside the widget's own UI, or leave confirmation of destructive actions to ChatGPT through the tool's destructiveHint.",
    item: ITEM,
  }),
  clipboard: defineRule({
    id: "widget/clipboard",
    severity: "moderate",
    title: "Widget uses the clipboard API",
    rationale:
      "navigator.clipboard is unavailable in the widget sandbox: copy buttons fail (the promise rejects) and the user is left without feedback.",
    remediation:
      "Show the text selectable for the user to copy, or hand it back to the conversation (sendFollowUpMessage) instead of writing to the clipboard.",
    item: ITEM,
  }),
};

const DIALOGS = new Set(["alert", "confirm", "prompt"]);
const GLOBALS = new Set(["window", "globalThis", "self", "top", "parent"]);

export const widgetApisCheck: Check = {
  id: "widget-apis",
  title: "Widgets: no browser APIs the sandbox blocks",
  section: "network",
  rules: Object.values(rules),
  async run({ facts }) {
    const unreadable = await codeCoverageProblem(facts);
    if (unreadable) return { status: "unavailable", findings: [], error: `Could not read the code: ${unreadable}.` };
    const findings: Finding[] = [];
    for (const file of widgetFiles(facts).indexes) {
      const shadowed = locallyDeclared(file);
      for (const { node, callee } of file.calls) {
        if (!callee || !ts.isCallExpression(node)) continue;
        const parts = callee.split(".");
        const name = parts[parts.length - 1]!;
        if (!DIALOGS.has(name)) continue;
        const global = parts.length === 1 ? !shadowed.has(name) : parts.length === 2 && GLOBALS.has(parts[0]!);
        if (!global) continue;
        findings.push(
          codeFinding(rules.dialog, {
            path: file.path,
            line: lineOf(node, file.sourceFile),
            text: file.text,
            message: `\`${callee}()\` does nothing in the widget sandbox${name === "confirm" ? ": it returns false, so the guarded action never runs" : ""}.`,
          }),
        );
      }
      // One finding per function: a feature check and the call it guards are one use of the clipboard.
      const reported = new Set<ts.Node>();
      for (const access of file.accesses) {
        const name = memberName(access);
        if (name !== "navigator.clipboard" && name !== "window.navigator.clipboard") continue;
        const scope = enclosingFunction(access);
        if (reported.has(scope)) continue;
        reported.add(scope);
        findings.push(
          codeFinding(rules.clipboard, {
            path: file.path,
            line: lineOf(access, file.sourceFile),
            text: file.text,
            message: "`navigator.clipboard` is blocked in the widget sandbox.",
          }),
        );
      }
    }
    return finish(findings);
  },
};

/** Names a file declares itself (function, variable, import), so a local `confirm()` helper isn't the browser's. */
function locallyDeclared(file: JsFileIndex): Set<string> {
  const names = new Set<string>();
  for (const f of file.functions) if (f.name && DIALOGS.has(f.name)) names.add(f.name);
  for (const s of file.sourceFile.statements) {
    if (ts.isImportDeclaration(s) && s.importClause) {
      if (s.importClause.name) names.add(s.importClause.name.text);
      const bindings = s.importClause.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) names.add(e.name.text);
    }
  }
  // Variables and destructured names or parameters (`const { confirm } = useDialog()`): treated as local, to stay silent.
  for (const d of DIALOGS) {
    if (new RegExp(`\\b(?:const|let|var)\\s+${d}\\b|[{,(]\\s*${d}\\s*[,}:=)]`).test(file.text)) names.add(d);
  }
  return names;
}
