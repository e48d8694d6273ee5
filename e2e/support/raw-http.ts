// Requests from a chosen loopback address (127.0.0.0/8 is all this machine's), outside the browser: how the attack on
// a running instance called pages and server actions directly, with whatever headers it liked.
import { Agent, FormData, fetch } from "undici";

const agents = new Map<string, Agent>();

function agentFor(localAddress: string): Agent {
  let agent = agents.get(localAddress);
  if (!agent) {
    agent = new Agent({ connect: { localAddress } });
    agents.set(localAddress, agent);
  }
  return agent;
}

export async function closeAgents(): Promise<void> {
  await Promise.all([...agents.values()].map((a) => a.close()));
  agents.clear();
}

/** The hidden fields React renders into a server-action form, so a POST without JavaScript reaches the action. */
function actionFields(html: string): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  for (const match of html.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(match[0])?.[1];
    const value = /value="([^"]*)"/.exec(match[0])?.[1] ?? "";
    if (name?.startsWith("$ACTION")) fields.push([name, decodeEntities(value)]);
  }
  return fields;
}

function decodeEntities(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

export interface SignInResult {
  /** Signed in: the action redirected. */
  signedIn: boolean;
  /** The error the form shows, if any. */
  error: string | null;
}

/** Submits the sign-in form from `from`, with an X-Forwarded-For header when given. */
export async function signInFrom(
  baseURL: string,
  from: string,
  input: { email: string; password: string; forwardedFor?: string },
): Promise<SignInResult> {
  const dispatcher = agentFor(from);
  const headers: Record<string, string> = input.forwardedFor ? { "x-forwarded-for": input.forwardedFor } : {};
  const page = await fetch(`${baseURL}/sign-in`, { dispatcher, headers });
  const fields = actionFields(await page.text());
  if (fields.length === 0) throw new Error("no server-action fields on /sign-in");
  const form = new FormData();
  for (const [k, v] of fields) form.append(k, v);
  form.append("email", input.email);
  form.append("password", input.password);
  form.append("next", "/");
  const res = await fetch(`${baseURL}/sign-in`, {
    method: "POST",
    body: form,
    redirect: "manual",
    dispatcher,
    headers: { ...headers, origin: baseURL },
  });
  const html = await res.text();
  if (res.status >= 300 && res.status < 400) return { signedIn: true, error: null };
  const error = /data-testid="sign-in-error"[^>]*>([^<]*)</.exec(html)?.[1] ?? null;
  return { signedIn: false, error: error && decodeEntities(error) };
}
