// Widget code that relies on browser APIs ChatGPT's sandboxed iframe blocks: alert, confirm, prompt, the clipboard.
// Reads the calls and member reads of files whose role is widget code.
import type { CallFact } from "@/lib/core/facts";
import type { Finding } from "@/lib/core/types";
import { codeFinding, finish, unreadableCode } from "./evidence";
import { defineRule } from "./rule";
import type { Check, CheckContext } from "./types";

const ITEM = "network.widget-sandbox-apis";

export const rules = {
  dialog: defineRule({
    id: "widget/blocked-dialog",
    item: ITEM,
    severity: "moderate",
    title: "Widget calls alert, confirm or prompt",
    rationale:
      "Widgets run in a sandboxed iframe without modal dialogs: the call returns at once (confirm gives false, prompt null), so the step it guards silently never happens or always happens.",
    remediation:
      "Show the message or the confirmation inside the widget's own UI, or leave confirmation of destructive actions to ChatGPT through the tool's destructiveHint.",
    // A reliability problem more than a security one: no OWASP MCP category fits; the CWE is the unchecked outcome.
    tags: { cwe: ["CWE-754"] },
  }),
  clipboard: defineRule({
    id: "widget/clipboard",
    item: ITEM,
    severity: "moderate",
    title: "Widget uses the clipboard API",
    rationale:
      "navigator.clipboard is unavailable in the widget sandbox: copy buttons fail (the promise rejects) and the user is left without feedback.",
    remediation:
      "Show the text selectable for the user to copy, or hand it back to the conversation (sendFollowUpMessage) instead of writing to the clipboard.",
    tags: { cwe: ["CWE-754"] },
  }),
};

const DIALOGS = new Set(["alert", "confirm", "prompt"]);
const GLOBALS = new Set(["window", "globalThis", "self", "top", "parent"]);
const CLIPBOARD = /^(?:window\.)?navigator\.clipboard(?:\.|$)/;

export const widgetApisCheck: Check = {
  id: "widget-apis",
  title: "Widgets: no browser APIs the sandbox blocks",
  section: "network",
  rules: Object.values(rules),
  run(ctx) {
    const unreadable = unreadableCode(ctx);
    if (unreadable) return unreadable;
    return finish([...dialogs(ctx), ...clipboard(ctx)]);
  },
};

function isWidget(ctx: CheckContext, path: string): boolean {
  return ctx.facts.code.file(path)?.role === "widget";
}

function dialogs(ctx: CheckContext): Finding[] {
  const findings: Finding[] = [];
  for (const name of DIALOGS) {
    for (const call of ctx.facts.code.callsNamed(name)) {
      if (!isWidget(ctx, call.path) || !isBrowserDialog(ctx, call, name)) continue;
      findings.push(
        codeFinding(rules.dialog, {
          path: call.path,
          line: call.line,
          text: ctx.snapshot.text(call.path) ?? "",
          message: `\`${call.callee}()\` does nothing in the widget sandbox${name === "confirm" ? ": it returns false, so the guarded action never runs" : ""}.`,
        }),
      );
    }
  }
  return findings;
}

/** `confirm()` or `window.confirm()`, not a `confirm` the code declares, imports or is given (`const { confirm } = useDialog()`). */
function isBrowserDialog(ctx: CheckContext, call: CallFact, name: string): boolean {
  const parts = call.callee.split(".");
  if (parts.length === 2) return GLOBALS.has(parts[0]!) && parts[1] === name;
  if (call.callee !== name) return false;
  const code = ctx.facts.code;
  return code.lookup(call.fn, name).length === 0 && code.paramOwner(call.fn, name) === null && code.importOf(call.path, name) === undefined;
}

/** One finding per function: a feature check and the call it guards are one use of the clipboard. */
function clipboard(ctx: CheckContext): Finding[] {
  const first = new Map<number, { path: string; line: number }>();
  for (const a of ctx.facts.code.accesses) {
    if (!CLIPBOARD.test(a.target) || !isWidget(ctx, a.path)) continue;
    const seen = first.get(a.fn);
    if (!seen || a.line < seen.line) first.set(a.fn, a);
  }
  return [...first.values()].map((a) =>
    codeFinding(rules.clipboard, {
      path: a.path,
      line: a.line,
      text: ctx.snapshot.text(a.path) ?? "",
      message: "`navigator.clipboard` is blocked in the widget sandbox.",
    }),
  );
}
