// Requests from a chosen loopback address (127.0.0.0/8 is all this machine's), outside the browser: how the attack on
// a running instance called pages and server actions directly, with whatever headers it liked. Node's http module
// binds the local address (fetch's agents don't).
import http from "node:http";

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export function rawRequest(
  url: string,
  options: { from: string; method?: string; headers?: Record<string, string>; body?: Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: options.method ?? "GET",
        headers: { ...options.headers, ...(options.body ? { "content-length": String(options.body.length) } : {}) },
        localAddress: options.from,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`no answer from ${url}`)));
    req.end(options.body);
  });
}

/** The hidden fields React renders into a server-action form, so a POST without JavaScript reaches the action. */
export function actionFields(html: string): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  for (const match of html.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]*)"/.exec(match[0])?.[1];
    const value = /value="([^"]*)"/.exec(match[0])?.[1] ?? "";
    if (name?.startsWith("$ACTION")) fields.push([name, decodeEntities(value)]);
  }
  return fields;
}

export function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** A multipart body and its content type, as a browser would send a form. */
export async function multipart(fields: Array<[string, string]>): Promise<{ body: Buffer; contentType: string }> {
  const form = new FormData();
  for (const [k, v] of fields) form.append(k, v);
  const encoded = new Response(form);
  return { body: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get("content-type")! };
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
  const headers: Record<string, string> = input.forwardedFor ? { "x-forwarded-for": input.forwardedFor } : {};
  const page = await rawRequest(`${baseURL}/sign-in`, { from, headers });
  const fields = actionFields(page.text);
  if (fields.length === 0) throw new Error("no server-action fields on /sign-in");
  const { body, contentType } = await multipart([...fields, ["email", input.email], ["password", input.password], ["next", "/"]]);
  const res = await rawRequest(`${baseURL}/sign-in`, {
    from,
    method: "POST",
    body,
    headers: { ...headers, origin: baseURL, "content-type": contentType },
  });
  if (res.status >= 300 && res.status < 400) return { signedIn: true, error: null };
  const error = /data-testid="sign-in-error"[^>]*>([^<]*)</.exec(res.text)?.[1] ?? null;
  return { signedIn: false, error: error && decodeEntities(error) };
}
