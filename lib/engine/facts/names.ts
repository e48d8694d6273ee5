// Names that hold credentials or request content, shared by the logging, widget-data and token rules so they agree.

/** Lower-case, without `_`, `-` or spaces: `access_token`, `accessToken` and `Access-Token` compare equal. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[_\-\s]/g, "");
}

const CREDENTIAL_EXACT = new Set([
  "token",
  "jwt",
  "bearer",
  "apikey",
  "apisecret",
  "secret",
  "secretkey",
  "clientsecret",
  "password",
  "passwd",
  "privatekey",
  "signingkey",
  "authorization",
  "cookie",
  "cookies",
  "setcookie",
  "credentials",
  "xapikey",
]);

// Compound names ending in one of these are credentials too: githubAccessToken, openaiApiKey, dbPassword.
const CREDENTIAL_SUFFIXES = [
  "accesstoken",
  "refreshtoken",
  "idtoken",
  "authtoken",
  "bearertoken",
  "sessiontoken",
  "apikey",
  "clientsecret",
  "password",
  "privatekey",
  "signingsecret",
  "webhooksecret",
];

/** Whether a variable, property or header name holds a credential. Plural "tokens" (LLM usage) and pageToken are not. */
export function isCredentialName(name: string): boolean {
  const n = normalizeName(name);
  if (n.length === 0 || n.length > 60) return false;
  return CREDENTIAL_EXACT.has(n) || CREDENTIAL_SUFFIXES.some((s) => n.endsWith(s));
}

/** Names of query-string parameters that carry a bearer credential. */
const QUERY_TOKEN_NAMES = new Set([
  "token",
  "accesstoken",
  "authtoken",
  "idtoken",
  "apikey",
  "jwt",
  "bearer",
  "auth",
  "authorization",
  "sessiontoken",
]);

export function isQueryTokenName(name: string): boolean {
  return QUERY_TOKEN_NAMES.has(normalizeName(name));
}

/** Whether an environment variable name looks like a credential: API_KEY, GITHUB_TOKEN, CLIENT_SECRET. */
export function isSecretEnvName(name: string): boolean {
  const n = name.toUpperCase();
  return /(?:KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?)$/.test(n) && !/(?:PUBLIC_?KEY|_ID)$/.test(n);
}
