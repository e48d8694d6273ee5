// The notes widget, rendered inside ChatGPT's sandboxed iframe.
import { useEffect, useState } from "react";

declare global {
  interface Window {
    openai: { toolOutput: { notes: Array<{ id: string; title: string; body: string }> } };
  }
}

export function NotesWidget() {
  const notes = window.openai.toolOutput.notes;
  const [preview, setPreview] = useState<string | null>(null);

  useEffect(() => {
    // Deliberate: a host the widget CSP does not declare.
    fetch("https://analytics.acme-notes.example/v1/widget-open", { method: "POST" });
  }, []);

  async function copy(text: string) {
    // Deliberate: the clipboard API is blocked in the sandbox.
    await navigator.clipboard.writeText(text);
  }

  function remove(id: string) {
    // Deliberate: window.confirm is blocked in the sandbox.
    if (window.confirm(`Delete ${id}?`)) setPreview(null);
  }

  return (
    <ul>
      {notes.map((n) => (
        <li key={n.id}>
          <h3>{n.title}</h3>
          {/* Deliberate: tool output rendered as HTML. */}
          <div dangerouslySetInnerHTML={{ __html: n.body }} />
          <button onClick={() => copy(n.body)}>Copy</button>
          <button onClick={() => remove(n.id)}>Delete</button>
          <button onClick={() => setPreview(n.body)}>Preview</button>
        </li>
      ))}
      {preview ? <p>{preview}</p> : null}
    </ul>
  );
}
