"use server";
// Signing in with email and password. Public, through the one wrapper (app/_server/action.ts).
import { z } from "zod";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { formAction } from "../_server/action";

const SignInInput = z.object({
  email: z.string({ error: "Enter your email." }).trim().min(1, "Enter your email.").max(254),
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(256),
  next: z.string().max(512).optional(),
});

/** Only same-site paths: an open redirect after sign-in would be a phishing aid. */
function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) ? next : "/";
}

export const signInAction = formAction({
  name: "sign-in",
  access: "public",
  input: SignInInput,
  secrets: ["password"],
  run: async ({ email, password, next }, { request }) => {
    await signInWithPassword(email, password, request);
    return { redirectTo: safeNext(next) };
  },
});
