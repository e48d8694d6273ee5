"use client";
import { useActionState } from "react";
import { TextField } from "../../ui/text-field";
import type { FormState } from "../../ui/form-state";
import { acceptInvitationAction } from "./actions";

export function AcceptForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(acceptInvitationAction, {});
  return (
    <form action={action} className="stacked" noValidate>
      {state.error || state.fieldErrors?.token ? (
        <div className="form-error" role="alert">
          {state.error ?? state.fieldErrors?.token}
        </div>
      ) : null}
      <input type="hidden" name="token" value={token} />
      <TextField name="name" label="Your name" autoComplete="name" defaultValue={state.values?.name ?? ""} key={state.values?.name ?? ""} error={state.fieldErrors?.name} />
      <TextField type="password" name="password" label="Password (at least 12 characters)" error={state.fieldErrors?.password} />
      <TextField type="password" name="confirm" label="Password again" error={state.fieldErrors?.confirm} />
      <div>
        <button type="submit" disabled={pending}>
          Create my account
        </button>
      </div>
    </form>
  );
}
