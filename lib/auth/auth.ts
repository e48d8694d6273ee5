// better-auth, configured for this app: email and password (no open sign-up), optional GitHub sign-in for
// invited users, sessions with an absolute lifetime (idle expiry is enforced in lib/auth/session.ts).
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { nextCookies } from "better-auth/next-js";
import { getDb, type Db } from "@/db/client";
import { databaseDialect } from "@/db/config";
import * as schema from "@/db/schema";
import { env } from "../env";
import { deriveKey } from "../keys";

export const SESSION_COOKIE_PREFIX = "launch-review";

function createAuth(db: Db) {
  const e = env();
  const github =
    process.env.GITHUB_CLIENT_ID && process.env.GITHUB_CLIENT_SECRET
      ? {
          github: {
            clientId: process.env.GITHUB_CLIENT_ID,
            clientSecret: process.env.GITHUB_CLIENT_SECRET,
            // Only people an administrator invited (matched by verified email) can sign in with GitHub.
            disableSignUp: true,
            disableImplicitSignUp: true,
          },
        }
      : undefined;
  return betterAuth({
    appName: "Launch Review",
    baseURL: e.baseUrl,
    secret: deriveKey("auth-cookies").toString("hex"),
    database: drizzleAdapter(db, {
      provider: databaseDialect() === "postgres" ? "pg" : "sqlite",
      schema: { user: schema.user, session: schema.session, account: schema.account, verification: schema.verification },
    }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: 12,
      maxPasswordLength: 256,
      autoSignIn: false,
    },
    socialProviders: github,
    account: { accountLinking: { enabled: true, trustedProviders: ["github"] } },
    user: {
      additionalFields: {
        isAdmin: { type: "boolean", defaultValue: false, input: false },
        disabled: { type: "boolean", defaultValue: false, input: false },
      },
    },
    session: {
      // The absolute lifetime: sessions are never extended, so a stolen cookie dies on schedule.
      expiresIn: e.LAUNCH_REVIEW_SESSION_MAX_HOURS * 3600,
      disableSessionRefresh: true,
      cookieCache: { enabled: false },
    },
    // Sign-in is rate limited per account and per IP by lib/auth/lockout.ts, in front of better-auth.
    rateLimit: { enabled: false },
    trustedOrigins: [e.baseUrl],
    advanced: {
      cookiePrefix: SESSION_COOKIE_PREFIX,
      useSecureCookies: e.baseUrl.startsWith("https://"),
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", path: "/" },
    },
    telemetry: { enabled: false },
    logger: { disabled: true },
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const instances = new WeakMap<Db, Auth>();

/** The auth instance for the current database (tests swap databases, so instances follow them). */
export function getAuth(): Auth {
  const db = getDb();
  let auth = instances.get(db);
  if (!auth) {
    auth = createAuth(db);
    instances.set(db, auth);
  }
  return auth;
}
