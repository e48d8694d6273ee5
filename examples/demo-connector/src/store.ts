// A tiny notes store backed by Acme's internal notes API.
import https from "node:https";

const NOTES_API = "https://notes-api.acme-notes.example";
// Deliberate: certificate verification switched off for the internal API.
const insecureAgent = new https.Agent({ rejectUnauthorized: false });

export interface Note {
  id: string;
  title: string;
  body: string;
  ownerEmail: string;
  internalFlags: string[];
}

export async function listNotes(token: string, query: string): Promise<Note[]> {
  const res = await fetch(`${NOTES_API}/notes?q=${encodeURIComponent(query)}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(5000),
    // @ts-expect-error undici accepts an agent-like dispatcher here in Node
    agent: insecureAgent,
  });
  return (await res.json()) as Note[];
}

export async function deleteNote(id: string): Promise<void> {
  await fetch(`${NOTES_API}/notes/${id}`, { method: "DELETE", signal: AbortSignal.timeout(5000) });
}

export async function shareNote(id: string, to: string): Promise<void> {
  await fetch(`${NOTES_API}/notes/${id}/share`, {
    method: "POST",
    body: JSON.stringify({ to }),
    signal: AbortSignal.timeout(5000),
  });
}
