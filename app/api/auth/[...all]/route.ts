import { toNextJsHandler } from "better-auth/next-js";
import { getAuth } from "@/lib/auth/auth";
import { jsonError } from "../../../_server/api";

export const dynamic = "force-dynamic";

// Only the GitHub sign-in flow goes through better-auth's HTTP endpoints. Email sign-in, sign-up and the rest
// are not exposed: sign-in runs through our server action, where lockout and security events apply.
const ALLOWED = new Set(["/api/auth/sign-in/social", "/api/auth/callback/github"]);

function allowed(request: Request): boolean {
  return Boolean(process.env.GITHUB_CLIENT_ID) && ALLOWED.has(new URL(request.url).pathname);
}

export async function GET(request: Request) {
  if (!allowed(request)) return jsonError(404, "Not found.");
  return toNextJsHandler(getAuth()).GET(request);
}

export async function POST(request: Request) {
  if (!allowed(request)) return jsonError(404, "Not found.");
  return toNextJsHandler(getAuth()).POST(request);
}
