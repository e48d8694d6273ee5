// The rules of the data-flow check and their wording: tool inputs and request data reaching a request URL's host, a
// redirect, a file path, a shell command or SQL text.
import { defineRule } from "./rule";

const ITEM = "prompt-injection.input-validation";

export const rules = {
  ssrf: defineRule({
    id: "flow/ssrf",
    severity: "high",
    title: "Input decides where the server sends a request (SSRF)",
    rationale:
      "When a tool argument or request data becomes the host of an outbound request, the model (steered by any text it has read) or any caller can make the server fetch internal addresses, cloud metadata endpoints or other services with the server's network position and credentials, and read back the answer.",
    remediation:
      "Fix the origin in code and put input only in the path or query (encoded), or parse the URL and compare its host with an allow-list of constants (`new URL(u).hostname` in a Set; `urlparse(u).hostname in ALLOWED`). A `startsWith` on the URL text or a substring test is no allow-list.",
    item: ITEM,
    tags: { owasp: "MCP05:2025 Command Injection & Execution", cwe: ["CWE-918"] },
  }),
  ssrfPath: defineRule({
    id: "flow/ssrf-path",
    severity: "low",
    title: "Input put into an outbound request's path without encoding",
    rationale:
      "The host is fixed, but a tool argument or request data goes into the URL's path as given: `../`, `?` or `#` in it (`id = \"../admin/users?x=\"`) sends the server's authenticated request to another endpoint of that API or adds parameters. The damage is bounded by what the server's credentials can do there.",
    remediation:
      "Encode each path segment (`encodeURIComponent(id)`, `urllib.parse.quote(id, safe=\"\")`), or accept ids only in a fixed shape (a schema pattern, a UUID, a number).",
    item: ITEM,
    tags: { owasp: "MCP05:2025 Command Injection & Execution", cwe: ["CWE-918", "CWE-74"] },
  }),
  headerInjection: defineRule({
    id: "flow/mail-header-injection",
    severity: "moderate",
    title: "Input written into a mail header line as given",
    rationale:
      "A raw message is header lines joined by line breaks. A subject or recipient with CR/LF in it ends its line and adds headers of its own: a hidden Bcc that copies the mail elsewhere, another Content-Type or body. A model steered by text it has read can send mail the user never sees the real recipients of.",
    remediation:
      "Take line breaks out of every header value (`value.replace(/[\\r\\n]+/g, \" \")`), validate addresses (`z.string().email()`), or build the message with a mail library that encodes headers (nodemailer's MailComposer, Python's `email.message.EmailMessage`).",
    item: ITEM,
    tags: { owasp: "MCP05:2025 Command Injection & Execution", cwe: ["CWE-93"] },
  }),
  openRedirect: defineRule({
    id: "flow/open-redirect",
    severity: "moderate",
    title: "Redirect to a URL taken from the request",
    rationale:
      "A redirect whose target comes from the request sends users to any site under the server's name: a phishing page that looks like the sign-in, or a place that receives codes and tokens meant for the server.",
    remediation:
      "Redirect only to paths of this server or to hosts in an allow-list: parse the target and compare its origin with constants, or look it up by an id the server issued.",
    item: ITEM,
    tags: { owasp: "MCP07:2025 Insufficient Authentication & Authorization", cwe: ["CWE-601"] },
  }),
  pathTraversal: defineRule({
    id: "flow/path-traversal",
    severity: "high",
    title: "Input chooses a file path the server reads or writes",
    rationale:
      "A path taken from a tool argument or the request, with no check that it stays under a root, lets `../` or an absolute path read the server's secrets and configuration or overwrite its files.",
    remediation:
      "Resolve the path against a fixed root and refuse anything that leaves it (`path.resolve(root, p)` then `startsWith(root + path.sep)`; `Path(root, p).resolve().is_relative_to(root)`), or take only a base name or an id the server maps to a file.",
    item: ITEM,
    tags: { owasp: "MCP05:2025 Command Injection & Execution", cwe: ["CWE-22"] },
  }),
  shellInjection: defineRule({
    id: "flow/shell-injection",
    severity: "critical",
    title: "Input runs as part of a shell command",
    rationale:
      "Text from a tool argument or the request inside a command that a shell runs lets `;`, `$(…)` or backticks run any other command on the server, with its files and credentials.",
    remediation:
      "Run the program without a shell, with the input as one argument of a list (`execFile(cmd, [arg])`, `subprocess.run([cmd, arg])`), check it against an allow-list, and end options with `--` before it.",
    item: ITEM,
    tags: { owasp: "MCP05:2025 Command Injection & Execution", cwe: ["CWE-78"] },
  }),
  sqlInjection: defineRule({
    id: "flow/sql-injection",
    severity: "high",
    title: "Input is pasted into SQL text",
    rationale:
      "A value concatenated or interpolated into SQL changes the statement itself: it can read other users' rows, every table, or change and delete data.",
    remediation:
      "Pass values as parameters (`$1`, `?`, `%s` with a separate argument, a query builder); check identifiers such as table or column names against a fixed list.",
    item: ITEM,
    tags: { owasp: "MCP05:2025 Command Injection & Execution", cwe: ["CWE-89"] },
  }),
};
