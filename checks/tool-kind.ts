// What a tool does, judged from its name, its description and its handler's code: read, write, destructive, open-world.
import type { ToolDecl } from "@/lib/engine/parse/tools/types";

const DESTRUCTIVE = new Set([
  "delete",
  "remove",
  "destroy",
  "drop",
  "purge",
  "erase",
  "wipe",
  "revoke",
  "truncate",
  "unlink",
  "uninstall",
  "terminate",
  "kill",
  "reset",
  "overwrite",
  "clear",
  "rm",
  "del",
  "trash",
  "cancel",
  "void",
  "deactivate",
  "ban",
]);
const WRITE = new Set([
  "create",
  "add",
  "insert",
  "update",
  "edit",
  "modify",
  "set",
  "put",
  "patch",
  "post",
  "send",
  "publish",
  "share",
  "move",
  "rename",
  "upload",
  "write",
  "save",
  "submit",
  "pay",
  "charge",
  "refund",
  "transfer",
  "invite",
  "assign",
  "unassign",
  "close",
  "reopen",
  "merge",
  "import",
  "schedule",
  "book",
  "order",
  "purchase",
  "buy",
  "approve",
  "reject",
  "reply",
  "comment",
  "enable",
  "disable",
  "deploy",
  "trigger",
  "register",
  "subscribe",
  "unsubscribe",
  "follow",
  "unfollow",
  "fork",
  "lock",
  "unlock",
  "mark",
  "complete",
  "commit",
  "push",
  "notify",
  "tweet",
  "sync",
  "restore",
  "grant",
  "mute",
  "pin",
  "unpin",
  "respond",
  "upsert",
  "append",
  "attach",
  "archive",
  "install",
  "transfer",
]);
const READ = new Set([
  "get",
  "list",
  "search",
  "find",
  "read",
  "fetch",
  "query",
  "lookup",
  "describe",
  "show",
  "view",
  "count",
  "check",
  "retrieve",
  "browse",
  "summarize",
  "preview",
  "inspect",
  "explain",
  "status",
  "info",
  "whoami",
  "download",
  "export",
  "validate",
  "estimate",
  "calculate",
  "compare",
  "analyze",
  "resolve",
  "suggest",
  "recommend",
  "render",
  "convert",
  "format",
  "parse",
  "lint",
  "diff",
]);
const OPEN_WORLD_WORDS = new Set([
  "web",
  "url",
  "urls",
  "browse",
  "crawl",
  "scrape",
  "internet",
  "webhook",
  "email",
  "mail",
  "tweet",
  "sms",
  "publish",
  "slack",
  "website",
]);

export interface ToolKind {
  destructive: boolean;
  write: boolean;
  /** Its name says it reads (get, list, search…) and nothing says it writes. */
  readLike: boolean;
  openWorld: boolean;
  /** Why it writes or deletes, in a few words each, for messages. */
  reasons: string[];
  /** Why it reaches outside systems. */
  openWorldReasons: string[];
}

/** `deleteNote`, `delete_note`, `notes.delete` → ["delete", "note"]. */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** "Deletes a note" → "delete"; the first two words of a description, verbs normalized. */
function descriptionVerbs(description: string | null): string[] {
  if (!description) return [];
  const words = description.trim().toLowerCase().split(/\s+/).slice(0, 2);
  return words.flatMap((w) => {
    const bare = w.replace(/[^a-z]/g, "");
    return [bare, bare.replace(/(?:es|s)$/, ""), bare.replace(/s$/, "")];
  });
}

export function classifyTool(t: ToolDecl): ToolKind {
  const reasons: string[] = [];
  const tokens = nameTokens(t.name);
  // The first verb-like token is the tool's verb ("kubectl_get_pods" → get, "notes_delete" → delete); later tokens are
  // usually nouns ("get_post", "list_orders"), unless joined by "and"/"then" ("search_and_delete").
  const verb = tokens.find((w) => DESTRUCTIVE.has(w) || WRITE.has(w) || READ.has(w));
  const joined = tokens.includes("and") || tokens.includes("then");
  const nameDestructive = verb && DESTRUCTIVE.has(verb) ? verb : joined ? tokens.find((w) => DESTRUCTIVE.has(w)) : undefined;
  const nameWrite = verb && WRITE.has(verb) ? verb : joined ? tokens.find((w) => WRITE.has(w)) : undefined;
  const nameRead = verb && READ.has(verb) ? verb : undefined;
  const verbs = verb ? [] : descriptionVerbs(t.description);
  const descDestructive = verbs.find((w) => DESTRUCTIVE.has(w));
  const descWrite = verbs.find((w) => WRITE.has(w));
  const readLike = Boolean(
    (nameRead || verbs.some((w) => READ.has(w))) && !nameDestructive && !nameWrite && !descDestructive && !descWrite,
  );
  const e = t.effects;

  const destructiveReason = nameDestructive
    ? `its name says "${nameDestructive}"`
    : descDestructive
      ? `its description starts with "${descDestructive}"`
      : e?.deletes && !readLike
        ? "its handler deletes data"
        : null;
  const writeReason =
    destructiveReason ??
    (nameWrite
      ? `its name says "${nameWrite}"`
      : descWrite
        ? `its description starts with "${descWrite}"`
        : e && !readLike
          ? e.httpWrites.length > 0
            ? `its handler sends HTTP ${e.httpWrites.join("/")}`
            : e.dbWrites
              ? "its handler writes to a database"
              : e.fileWrites
                ? "its handler writes files"
                : e.shell
                  ? "its handler runs shell commands"
                  : null
          : null);
  const destructive = destructiveReason !== null;
  const write = writeReason !== null;
  if (writeReason) reasons.push(writeReason);

  const openWord = tokens.find((w) => OPEN_WORLD_WORDS.has(w));
  const inputOrigin = e?.sinks.find((s) => s.kind === "url" && s.originFromInput);
  const openWorld = Boolean(openWord || inputOrigin);
  const openWorldReasons: string[] = [];
  if (openWord) openWorldReasons.push(`its name mentions "${openWord}"`);
  if (inputOrigin) openWorldReasons.push(`its handler requests a URL taken from the "${inputOrigin.field}" input`);
  return { destructive, write, readLike, openWorld, reasons, openWorldReasons };
}
