// The shape every form action returns, and how a zod error becomes messages beside fields.
import type { z } from "zod";

export interface FormState<F extends string = string> {
  fieldErrors?: Partial<Record<F, string>>;
  error?: string;
  /** A one-line success message. */
  notice?: string;
  /** A secret shown exactly once (an invitation link, an API token). */
  secret?: string;
}

export function fieldErrorsOf<F extends string>(error: z.ZodError): Partial<Record<F, string>> {
  const out: Partial<Record<F, string>> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form") as F;
    out[key] ??= issue.message;
  }
  return out;
}

export function formText(form: FormData, key: string): string {
  const v = form.get(key);
  return typeof v === "string" ? v : "";
}
