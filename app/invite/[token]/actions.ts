"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { acceptInvitation, NameSchema, PasswordSchema } from "@/lib/auth/users";
import { isAppError, publicMessage } from "@/lib/core/errors";
import { logger } from "@/lib/logger";
import { requestContext } from "../../_server/request";

const log = logger("actions.invite");

export interface AcceptState {
  name: string;
  error?: string;
  fieldErrors?: Partial<Record<"name" | "password" | "confirm", string>>;
}

const AcceptSchema = z
  .object({ token: z.string().min(1).max(128), name: NameSchema, password: PasswordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: "The two passwords differ.", path: ["confirm"] });

export async function acceptInvitationAction(_prev: AcceptState, form: FormData): Promise<AcceptState> {
  const name = typeof form.get("name") === "string" ? String(form.get("name")).slice(0, 100) : "";
  const parsed = AcceptSchema.safeParse({
    token: form.get("token"),
    name: form.get("name"),
    password: form.get("password"),
    confirm: form.get("confirm"),
  });
  if (!parsed.success) {
    const fieldErrors: AcceptState["fieldErrors"] = {};
    for (const issue of parsed.error.issues) fieldErrors[issue.path[0] as "name"] ??= issue.message;
    return { name, fieldErrors };
  }
  const ctx = await requestContext();
  try {
    const user = await acceptInvitation(parsed.data.token, { name: parsed.data.name, password: parsed.data.password });
    await signInWithPassword(user.email, parsed.data.password, ctx);
  } catch (error) {
    if (!isAppError(error)) log.error({ err: error, correlationId: ctx.correlationId }, "accepting an invitation failed");
    return { name, error: publicMessage(error, ctx.correlationId) };
  }
  redirect("/");
}
