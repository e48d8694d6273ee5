// Credentials handed to another service's client library: `new LlamaCloud({ apiKey })`, `new Octokit({ auth })`,
// `Jira(url=…, token=…)`. Such a client sends the value as its Authorization, so for token passthrough these are
// outbound credentials as much as a fetch's Authorization header. Only classes imported from packages count: a class
// of the repository is read through its own code. Derived from the code facts; no syntax tree is read here.
import type { CallFact, Value } from "@/lib/core/facts";
import type { CodeFacts } from "./code";

/** Option and keyword names that carry the credential a client sends, compared without case, `_` or `-`. */
const CREDENTIAL_KEY = /^(?:apikey|token|accesstoken|authtoken|bearertoken|bearer|personaltoken|personalaccesstoken|pat|oauthtoken|auth)$/;

export interface ClientCredential {
  call: CallFact;
  /** The option or keyword, as written. */
  key: string;
  value: Value;
  /** The client, as written: `LlamaCloud`, `Jira`. */
  client: string;
}

/** Every credential given to a client class of a package, as an option or a keyword argument. */
/** Clients are classes: a callee whose last name starts with a capital. */
const namesAClass = (callee: string): boolean => /^[A-Z]/.test(callee.slice(callee.lastIndexOf(".") + 1));

export function clientCredentials(code: CodeFacts): ClientCredential[] {
  const out: ClientCredential[] = [];
  for (const call of code.callsWhere(namesAClass)) {
    const root = call.callee.split(".")[0] ?? "";
    const last = call.callee.slice(call.callee.lastIndexOf(".") + 1);
    if (!/^[A-Z]/.test(last) || !fromPackage(code, call, root)) continue;
    const language = code.fileOf(call.fn)?.language;
    if (language === "js" && !call.isNew) continue;
    const entries: Array<[string, Value]> = [...call.kwargs];
    for (const a of call.args) if (a.kind === "object") for (const e of a.entries) if (e.key !== null) entries.push([e.key, e.value]);
    for (const [key, value] of entries) {
      // `auth: { username, password }` is basic auth of the server's own account, judged elsewhere.
      if (CREDENTIAL_KEY.test(key.toLowerCase().replace(/[_-]/g, "")) && value.kind !== "object") out.push({ call, key, value, client: call.callee });
    }
  }
  return out;
}

function fromPackage(code: CodeFacts, call: CallFact, root: string): boolean {
  const imported = code.importOf(call.path, root);
  if (!imported) return false;
  return imported.resolvedPath === null && !imported.module.startsWith(".");
}
