// Failed sign-ins are limited per account, per IP and overall. Past a limit the account (or IP) is locked for a
// while; every failure and lockout is a security event.
import { failuresForEmail, failuresForIp, failuresSince } from "@/db/queries/security";

export const LOCKOUT_POLICY = {
  /** Failures of one account within the window that lock it. */
  accountFailures: 5,
  /** Failures from one IP within the window that block it. */
  ipFailures: 20,
  /** Failures from everyone per minute before all sign-ins are slowed down: a backstop against spread-out attacks. */
  globalFailuresPerMinute: 300,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
} as const;

export type SignInGate = { allowed: true } | { allowed: false; reason: "account-locked" | "ip-blocked" | "global-throttle"; retryAt: Date };

export function signInGate(email: string, ip: string, now = new Date()): SignInGate {
  const since = new Date(now.getTime() - LOCKOUT_POLICY.windowMs);
  const account = failuresForEmail(email, since);
  if (account.count >= LOCKOUT_POLICY.accountFailures && account.last) {
    const retryAt = new Date(account.last.getTime() + LOCKOUT_POLICY.lockMs);
    if (retryAt > now) return { allowed: false, reason: "account-locked", retryAt };
  }
  const byIp = failuresForIp(ip, since);
  if (byIp.count >= LOCKOUT_POLICY.ipFailures && byIp.last) {
    const retryAt = new Date(byIp.last.getTime() + LOCKOUT_POLICY.lockMs);
    if (retryAt > now) return { allowed: false, reason: "ip-blocked", retryAt };
  }
  if (failuresSince(new Date(now.getTime() - 60_000)) >= LOCKOUT_POLICY.globalFailuresPerMinute) {
    return { allowed: false, reason: "global-throttle", retryAt: new Date(now.getTime() + 60_000) };
  }
  return { allowed: true };
}

/** Whether this failure is the one that locks the account now (so the lockout is recorded once). */
export function failureLocksAccount(email: string, now = new Date()): boolean {
  const since = new Date(now.getTime() - LOCKOUT_POLICY.windowMs);
  return failuresForEmail(email, since).count === LOCKOUT_POLICY.accountFailures;
}
