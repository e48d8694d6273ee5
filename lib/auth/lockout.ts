// Failed sign-ins (and failed current-password checks) are limited per address, per account and address, per
// account, and overall. Every failure and lockout is a security event. The policy, in README's words:
//   - one address: 20 failures in 15 minutes block it for 15 minutes, whatever account it tries;
//   - one account from one address: 5 failures lock that address out of that account for 15 minutes, even with the
//     right password;
//   - one account from anywhere: after 5 failures, each further try must wait a growing delay after the last
//     failure (1 s, 2 s, 4 s … at most 60 s), so many addresses can't guess fast, and none can lock the owner out;
//   - everyone: past 300 failures a minute, all sign-ins wait a minute.
import { failuresForEmail, failuresForEmailAndIp, failuresForIp, failuresSince } from "@/db/queries/security";

export const LOCKOUT_POLICY = {
  /** Failures of one account from one address within the window that lock that address out of the account. */
  accountIpFailures: 5,
  /** Failures from one address within the window that block it. */
  ipFailures: 20,
  /** Failures of one account (from any address) after which every further try waits a growing delay. */
  accountSlowdownAfter: 5,
  accountDelayBaseMs: 1000,
  accountDelayMaxMs: 60_000,
  /** Failures from everyone per minute before all sign-ins are slowed down: a backstop against spread-out attacks. */
  globalFailuresPerMinute: 300,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
} as const;

export type SignInGate =
  { allowed: true } | { allowed: false; reason: "account-locked" | "account-slowed" | "ip-blocked" | "global-throttle"; retryAt: Date };

/** How long the next try on an account waits after its last failure, given its failures in the window. */
export function accountDelayMs(failures: number): number {
  if (failures < LOCKOUT_POLICY.accountSlowdownAfter) return 0;
  const doublings = Math.min(failures - LOCKOUT_POLICY.accountSlowdownAfter, 16);
  return Math.min(LOCKOUT_POLICY.accountDelayMaxMs, LOCKOUT_POLICY.accountDelayBaseMs * 2 ** doublings);
}

export async function signInGate(email: string, ip: string, now = new Date()): Promise<SignInGate> {
  const since = new Date(now.getTime() - LOCKOUT_POLICY.windowMs);
  const byIp = await failuresForIp(ip, since);
  if (byIp.count >= LOCKOUT_POLICY.ipFailures && byIp.last) {
    const retryAt = new Date(byIp.last.getTime() + LOCKOUT_POLICY.lockMs);
    if (retryAt > now) return { allowed: false, reason: "ip-blocked", retryAt };
  }
  const pair = await failuresForEmailAndIp(email, ip, since);
  if (pair.count >= LOCKOUT_POLICY.accountIpFailures && pair.last) {
    const retryAt = new Date(pair.last.getTime() + LOCKOUT_POLICY.lockMs);
    if (retryAt > now) return { allowed: false, reason: "account-locked", retryAt };
  }
  const account = await failuresForEmail(email, since);
  const delay = accountDelayMs(account.count);
  if (delay > 0 && account.last) {
    const retryAt = new Date(account.last.getTime() + delay);
    if (retryAt > now) return { allowed: false, reason: "account-slowed", retryAt };
  }
  if ((await failuresSince(new Date(now.getTime() - 60_000))) >= LOCKOUT_POLICY.globalFailuresPerMinute) {
    return { allowed: false, reason: "global-throttle", retryAt: new Date(now.getTime() + 60_000) };
  }
  return { allowed: true };
}

/** Whether this failure is the one that locks this address out of the account now (so the lockout is recorded once). */
export async function failureLocksAccount(email: string, ip: string, now = new Date()): Promise<boolean> {
  const since = new Date(now.getTime() - LOCKOUT_POLICY.windowMs);
  return (await failuresForEmailAndIp(email, ip, since)).count === LOCKOUT_POLICY.accountIpFailures;
}

/** "Try again in 15 minutes." / "Try again in 8 seconds." */
export function retryMessage(retryAt: Date, now = Date.now()): string {
  const ms = retryAt.getTime() - now;
  if (ms < 90_000) {
    const seconds = Math.max(1, Math.ceil(ms / 1000));
    return `Too many failed sign-ins. Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
  }
  const minutes = Math.ceil(ms / 60_000);
  return `Too many failed sign-ins. Try again in ${minutes} minutes.`;
}
