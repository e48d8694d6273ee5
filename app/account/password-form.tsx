"use client";
import { useActionState } from "react";
import { changePasswordAction, type PasswordState } from "./actions";

function PasswordField({ name, label, error, autoComplete }: { name: string; label: string; error?: string; autoComplete: string }) {
  return (
    <div className="field" data-invalid={error ? "true" : undefined}>
      <label htmlFor={name}>{label}</label>
      <input
        id={name}
        name={name}
        type="password"
        autoComplete={autoComplete}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${name}-error` : undefined}
      />
      {error ? (
        <span id={`${name}-error`} className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

export function PasswordForm() {
  const [state, action, pending] = useActionState<PasswordState, FormData>(changePasswordAction, {});
  return (
    <form action={action} className="stacked" noValidate>
      {state.done ? (
        <p className="notice" role="status">
          Password changed. Your other sessions were signed out.
        </p>
      ) : null}
      <PasswordField
        name="currentPassword"
        label="Current password"
        error={state.fieldErrors?.currentPassword}
        autoComplete="current-password"
      />
      <PasswordField
        name="newPassword"
        label="New password (at least 12 characters)"
        error={state.fieldErrors?.newPassword}
        autoComplete="new-password"
      />
      <PasswordField name="confirm" label="New password again" error={state.fieldErrors?.confirm} autoComplete="new-password" />
      <div>
        <button type="submit" disabled={pending}>
          Change password
        </button>
      </div>
    </form>
  );
}
