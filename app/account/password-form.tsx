"use client";
import { useActionState } from "react";
import { TextField } from "../ui/text-field";
import type { FormState } from "../ui/form-state";
import { changePasswordAction } from "./actions";

export function PasswordForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(changePasswordAction, {});
  return (
    <form action={action} className="stacked" noValidate>
      {state.notice ? (
        <p className="notice" role="status">
          {state.notice}
        </p>
      ) : null}
      {state.error ? (
        <div className="form-error" role="alert">
          {state.error}
        </div>
      ) : null}
      <TextField
        type="password"
        name="currentPassword"
        label="Current password"
        error={state.fieldErrors?.currentPassword}
        autoComplete="current-password"
      />
      <TextField type="password" name="newPassword" label="New password (at least 12 characters)" error={state.fieldErrors?.newPassword} />
      <TextField type="password" name="confirm" label="New password again" error={state.fieldErrors?.confirm} />
      <div>
        <button type="submit" disabled={pending}>
          Change password
        </button>
      </div>
    </form>
  );
}
