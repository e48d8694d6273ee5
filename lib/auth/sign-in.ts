// Email and password sign-in with lockout in front of better-auth, recording every failure and lockout.
import { recordSignInAttempt } from "@/db/queries/security";
import { findUserByEmail } from "@/db/queries/teams";
import { AppError } from "../core/errors";
import { recordSecurityEvent } from "../security-events";
import { getAuth } from "./auth";
import { failureLocksAccount, retryMessage, signInGate } from "./lockout";

export interface SignInContext {
  ip: string;
  correlationId: string;
  headers: Headers;
}

const GENERIC_FAILURE = "Wrong email or password.";

let dummyHash: Promise<string> | undefined;

/** Spends the same hashing time for unknown accounts, so response time doesn't reveal which emails exist. */
async function burnPasswordCheck(password: string): Promise<void> {
  const ctx = await getAuth().$context;
  dummyHash ??= ctx.password.hash("launch-review-dummy-password");
  await ctx.password.verify({ hash: await dummyHash, password });
}

/**
 * Signs in and sets the session cookie (through better-auth's Next.js cookie plugin). Throws an AppError with a
 * message safe to show: it never tells whether the account exists.
 */
export async function signInWithPassword(rawEmail: string, password: string, ctx: SignInContext): Promise<void> {
  const email = rawEmail.trim().toLowerCase().slice(0, 254);
  const gate = await signInGate(email, ctx.ip);
  if (!gate.allowed) {
    await recordSecurityEvent({
      type: "sign-in.failed",
      actor: email,
      ip: ctx.ip,
      correlationId: ctx.correlationId,
      details: { reason: gate.reason },
    });
    throw new AppError("rate_limit:sign_in", retryMessage(gate.retryAt));
  }
  const user = await findUserByEmail(email);
  let ok = false;
  if (user && !user.disabled) {
    try {
      await getAuth().api.signInEmail({ body: { email, password, rememberMe: true }, headers: ctx.headers });
      ok = true;
    } catch {
      ok = false;
    }
  } else {
    await burnPasswordCheck(password);
  }
  await recordSignInAttempt(email, ctx.ip, ok);
  if (ok) {
    await recordSecurityEvent({ type: "sign-in.succeeded", actor: user!.id, ip: ctx.ip, correlationId: ctx.correlationId });
    return;
  }
  await recordSecurityEvent({
    type: "sign-in.failed",
    actor: email,
    ip: ctx.ip,
    correlationId: ctx.correlationId,
    details: { reason: user ? (user.disabled ? "disabled" : "bad-password") : "unknown-account" },
  });
  if (await failureLocksAccount(email, ctx.ip)) {
    await recordSecurityEvent({ type: "sign-in.locked-out", actor: email, ip: ctx.ip, correlationId: ctx.correlationId });
  }
  throw new AppError("invalid:credentials", GENERIC_FAILURE);
}
