"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { isAppError, publicMessage } from "@/lib/core/errors";
import { logger } from "@/lib/logger";
import { requestContext } from "../_server/request";

const log = logger("actions.sign-in");

export interface SignInState {
  email: string;
  error?: string;
}

const SignInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email.").max(254),
  password: z.string().min(1, "Enter your password.").max(256),
  next: z.string().max(512).optional(),
});

/** Only same-site paths: an open redirect after sign-in would be a phishing aid. */
function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : "/";
}

export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  const parsed = SignInSchema.safeParse({ email: form.get("email"), password: form.get("password"), next: form.get("next") ?? undefined });
  const email = typeof form.get("email") === "string" ? String(form.get("email")).slice(0, 254) : "";
  if (!parsed.success) return { email, error: parsed.error.issues[0]?.message ?? "Enter your email and password." };
  const ctx = await requestContext();
  try {
    await signInWithPassword(parsed.data.email, parsed.data.password, ctx);
  } catch (error) {
    if (!isAppError(error)) log.error({ err: error, correlationId: ctx.correlationId }, "sign-in failed unexpectedly");
    return { email, error: publicMessage(error, ctx.correlationId) };
  }
  redirect(safeNext(parsed.data.next));
}
