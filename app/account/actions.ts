"use server";
// The signed-in user's own account: signing out and changing the password. Through the one wrapper
// (app/_server/action.ts).
import { z } from "zod";
import { recordSignInAttempt } from "@/db/queries/security";
import { getAuth } from "@/lib/auth/auth";
import { failureLocksAccount, retryMessage, signInGate } from "@/lib/auth/lockout";
import { weakPasswordReason } from "@/lib/auth/password-policy";
import { PasswordSchema } from "@/lib/auth/users";
import { recordSecurityEvent } from "@/lib/security-events";
import { buttonAction, formAction } from "../_server/action";

export const signOutAction = buttonAction({
  name: "account.sign-out",
  access: "public",
  input: z.object({}),
  run: async (_, { user, request }) => {
    if (user) await getAuth().api.signOut({ headers: request.headers });
    return { redirectTo: "/sign-in" };
  },
});

const ChangePasswordInput = z
  .object({
    currentPassword: z.string({ error: "Enter your current password." }).min(1, "Enter your current password.").max(256),
    newPassword: PasswordSchema,
    confirm: z.string({ error: "Type the new password again." }),
  })
  .refine((v) => v.newPassword === v.confirm, { message: "The two new passwords differ.", path: ["confirm"] });

export const changePasswordAction = formAction({
  name: "account.change-password",
  access: "user",
  input: ChangePasswordInput,
  secrets: ["currentPassword", "newPassword", "confirm"],
  run: async (input, { user, request, audit }) => {
    const { ip, correlationId, headers } = request;
    // Guesses at the current password count like failed sign-ins: same limits, same security events.
    const gate = await signInGate(user.email, ip);
    if (!gate.allowed) {
      await recordSecurityEvent({ type: "password-change.failed", actor: user.id, ip, correlationId, details: { reason: gate.reason } });
      return { fieldErrors: { currentPassword: retryMessage(gate.retryAt).replace("failed sign-ins", "wrong passwords") } };
    }
    if (input.newPassword === input.currentPassword)
      return { fieldErrors: { newPassword: "Choose a new password: this is the one you have now." } };
    const related = weakPasswordReason(input.newPassword, [user.email, user.email.split("@")[0]!, user.name]);
    if (related) return { fieldErrors: { newPassword: related } };
    try {
      await getAuth().api.changePassword({
        body: { currentPassword: input.currentPassword, newPassword: input.newPassword, revokeOtherSessions: true },
        headers,
      });
    } catch {
      await recordSignInAttempt(user.email, ip, false);
      await recordSecurityEvent({
        type: "password-change.failed",
        actor: user.id,
        ip,
        correlationId,
        details: { reason: "wrong-current-password" },
      });
      if (await failureLocksAccount(user.email, ip)) {
        await recordSecurityEvent({
          type: "sign-in.locked-out",
          actor: user.email,
          ip,
          correlationId,
          details: { via: "password-change" },
        });
      }
      return { fieldErrors: { currentPassword: "The current password is wrong." } };
    }
    await recordSignInAttempt(user.email, ip, true);
    audit({ action: "user.password-changed", targetType: "user", targetId: user.id });
    return { notice: "Password changed. Your other sessions were signed out." };
  },
});
