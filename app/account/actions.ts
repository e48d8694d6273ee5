"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { appendAudit } from "@/db/queries/audit";
import { getAuth } from "@/lib/auth/auth";
import { PasswordSchema } from "@/lib/auth/users";
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
  const { headers, correlationId } = await requestContext();
  try {
    await getAuth().api.changePassword({
      body: { currentPassword: parsed.data.currentPassword, newPassword: parsed.data.newPassword, revokeOtherSessions: true },
      headers,
    });
  } catch {
    return { fieldErrors: { currentPassword: "The current password is wrong." } };
  }
  appendAudit({ actor: user.id, action: "user.password-changed", targetType: "user", targetId: user.id, correlationId });
  return { done: true };
}
