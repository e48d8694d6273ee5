// A signed-in administrator's session cookie, for a bench that requests pages over HTTP. It is made in a child
// process with the app's own environment (DATABASE_PATH or DATABASE_URL, LAUNCH_REVIEW_SECRET), because the database
// dialect is fixed when the app's modules load; the child signs in through better-auth and prints the cookie.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { BENCH_ADMIN } from "./app-server";

export function adminSessionCookie(env: Record<string, string>): string {
  const cookie = execFileSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", path.join(__dirname, "admin-session-child.ts")],
    { env: { ...process.env, ...env, LAUNCH_REVIEW_LOG_LEVEL: "silent" }, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  ).trim();
  if (!cookie.includes("session_token")) throw new Error(`signing in as ${BENCH_ADMIN.email} gave no session cookie`);
  return cookie;
}
