import { describe, expect, it } from "vitest";
import { ruleTable, timed } from "@/test/support/rule-table";
import { widgetApisCheck } from "./widget-apis";

const RESOURCE = { "src/server.ts": 'server.registerResource("w", "ui://widget/w.html", { mimeType: "text/html+skybridge" }, read);' };

ruleTable(widgetApisCheck, {
  valid: [
    {
      name: "a widget that confirms in its own UI and hands text back to the conversation",
      files: {
        ...RESOURCE,
        "web/Widget.tsx":
          "export function W() {\n  const out = window.openai.toolOutput;\n  const [asking, setAsking] = useState(false);\n" +
          "  return <button onClick={() => window.openai.sendFollowUpMessage({ prompt: out.text })}>Send</button>;\n}",
      },
    },
    {
      name: "a local confirm helper and a destructured prompt",
      files: {
        "web/a.tsx":
          "window.openai;\nimport { confirm } from './dialog';\nconst { prompt } = useDialogs();\nif (await confirm('Delete?')) remove();\nprompt('x');",
      },
    },
    {
      name: "server code and a CLI may use dialogs and the clipboard",
      files: {
        "src/cli.ts": "const ok = confirm('Continue?');\nawait navigator.clipboard.writeText(x);",
        "scripts/setup.js": "alert('done')",
      },
    },
    {
      name: "folders named web/ in a repository without widgets",
      files: { "web/admin.js": "if (confirm('Reset?')) reset();" },
    },
  ],
  invalid: [
    {
      name: "clipboard and window.confirm in a widget that talks to the host",
      files: {
        "web/NotesWidget.tsx":
          "export function NotesWidget() {\n  const notes = window.openai.toolOutput.notes;\n  async function copy(t: string) {\n    await navigator.clipboard.writeText(t);\n  }\n" +
          "  function remove(id: string) {\n    if (window.confirm(`Delete ${id}?`)) setPreview(null);\n  }\n}",
      },
      expected: [
        { ruleId: "widget/clipboard", path: "web/NotesWidget.tsx", line: 4, severity: "moderate" },
        { ruleId: "widget/blocked-dialog", path: "web/NotesWidget.tsx", line: 7, message: "returns false" },
      ],
    },
    {
      name: "bare alert and prompt in a widget folder of a repo that declares a widget resource",
      files: { ...RESOURCE, "widgets/board/index.jsx": "function onSave() {\n  alert('Saved');\n  const name = prompt('Name?');\n}" },
      expected: [
        { ruleId: "widget/blocked-dialog", line: 2 },
        { ruleId: "widget/blocked-dialog", line: 3 },
      ],
    },
    {
      name: "a component imported by the widget entry",
      files: {
        "src/widget/main.tsx": "import { Card } from '../components/Card';\nwindow.openai.toolOutput;",
        "src/components/Card.tsx":
          "export function Card() {\n  return <button onClick={() => navigator.clipboard.writeText('x')}>Copy</button>;\n}",
        "src/components/ServerOnly.ts": "alert('not a widget');",
      },
      expected: [{ ruleId: "widget/clipboard", path: "src/components/Card.tsx", line: 2 }],
    },
    {
      name: "a feature-checked clipboard call counts once",
      files: {
        "src/widget/copy.jsx":
          "window.openai;\nfunction copy(url) {\n  if (navigator?.clipboard?.writeText) {\n    navigator.clipboard.writeText(url).then(done, done);\n  }\n}",
      },
      expected: [{ ruleId: "widget/clipboard", line: 3 }],
    },
    {
      name: "inline script in a widget HTML file",
      files: {
        "public/widget.html":
          '<!doctype html>\n<div id="root"></div>\n<script>\n  const data = window.openai.toolOutput;\n  alert(data.title);\n</script>',
      },
      expected: [{ ruleId: "widget/blocked-dialog", path: "public/widget.html", line: 5 }],
    },
  ],
});

describe("widget-apis on hostile input", () => {
  it("skips a 2 MB minified widget bundle quickly", async () => {
    const bundle = "window.openai;" + "alert(1);navigator.clipboard;".repeat(70_000);
    const { findings, ms } = await timed(widgetApisCheck, { "web/dist2/widget.js": bundle, "web/a.html": "<script".repeat(100_000) });
    expect(findings).toEqual([]);
    expect(ms).toBeLessThan(5000);
  });
});
