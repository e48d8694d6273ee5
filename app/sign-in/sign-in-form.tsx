"use client";
import { useActionState } from "react";
import type { FormState } from "../ui/form-state";
import { signInAction } from "./actions";

export function SignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(signInAction, {});
  // One message for the whole form: which field was wrong is not said beside it.
  const error = state.error ?? Object.values(state.fieldErrors ?? {})[0];
  const email = state.values?.email ?? "";
  return (
    <form action={action} className="stacked" noValidate>
      {error ? (
        <div className="form-error" role="alert" data-testid="sign-in-error">
          {error}
        </div>
      ) : null}
      <input type="hidden" name="next" value={next} />
      <div className="field">
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="username" defaultValue={email} key={email} required />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
      </div>
      <div>
        <button type="submit" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </div>
    </form>
  );
}
