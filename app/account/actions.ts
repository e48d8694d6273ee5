"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { appendAudit } from "@/db/queries/audit";
import { getAuth } from "@/lib/auth/auth";
import { recordSignInAttempt } from "@/db/queries/security";
import { failureLocksAccount, retryMessage, signInGate } from "@/lib/auth/lockout";
import { weakPasswordReason } from "@/lib/auth/password-policy";
import { PasswordSchema } from "@/lib/auth/users";
import { recordSecurityEvent } from "@/lib/security-events";
import { requestContext } from "../_server/request";
import { currentUser, requireUser } from "../_server/session";

export async function signOutAction(): Promise<void> {
  const { headers } = await requestContext();
  if (await currentUser()) await getAuth().api.signOut({ headers });
  redirect("/sign-in");
}

export interface PasswordState {
  error?: string;
  fieldErrors?: Partial<Record<"currentPassword" | "newPassword" | "confirm", string>>;
  done?: boolean;
}

const ChangePasswordSchema = z
  .object({ currentPassword: z.string().min(1, "Enter your current password.").max(256), newPassword: PasswordSchema, confirm: z.string() })
  .refine((v) => v.newPassword === v.confirm, { message: "The two new passwords differ.", path: ["confirm"] });

export async function changePasswordAction(_prev: PasswordState, form: FormData): Promise<PasswordState> {
  const user = await requireUser();
  const parsed = ChangePasswordSchema.safeParse({
    currentPassword: form.get("currentPassword"),
    newPassword: form.get("newPassword"),
    confirm: form.get("confirm"),
  });
  if (!parsed.success) {
    const fieldErrors: PasswordState["fieldErrors"] = {};
    for (const issue of parsed.error.issues)
      fieldErrors[issue.path[0] as keyof NonNullable<PasswordState["fieldErrors"]>] ??= issue.message;
    return { fieldErrors };
  }
  const { headers, correlationId, ip } = await requestContext();
  // Guesses at the current password count like failed sign-ins: same limits, same security events.
  const gate = signInGate(user.email, ip);
  if (!gate.allowed) {
    recordSecurityEvent({ type: "password-change.failed", actor: user.id, ip, correlationId, details: { reason: gate.reason } });
    return { fieldErrors: { currentPassword: retryMessage(gate.retryAt).replace("failed sign-ins", "wrong passwords") } };
  }
  if (parsed.data.newPassword === parsed.data.currentPassword) {
    return { fieldErrors: { newPassword: "Choose a new password: this is the one you have now." } };
  }
  const related = weakPasswordReason(parsed.data.newPassword, [user.email, user.email.split("@")[0]!, user.name]);
  if (related) return { fieldErrors: { newPassword: related } };
  try {
    await getAuth().api.changePassword({
      body: { currentPassword: parsed.data.currentPassword, newPassword: parsed.data.newPassword, revokeOtherSessions: true },
      headers,
    });
  } catch {
    recordSignInAttempt(user.email, ip, false);
    recordSecurityEvent({
      type: "password-change.failed",
      actor: user.id,
      ip,
      correlationId,
      details: { reason: "wrong-current-password" },
    });
    if (failureLocksAccount(user.email, ip)) {
      recordSecurityEvent({ type: "sign-in.locked-out", actor: user.email, ip, correlationId, details: { via: "password-change" } });
    }
    return { fieldErrors: { currentPassword: "The current password is wrong." } };
  }
  recordSignInAttempt(user.email, ip, true);
  appendAudit({ actor: user.id, action: "user.password-changed", targetType: "user", targetId: user.id, correlationId });
  return { done: true };
}
