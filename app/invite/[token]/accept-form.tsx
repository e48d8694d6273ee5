"use client";
import { useActionState } from "react";
import { acceptInvitationAction, type AcceptState } from "./actions";

export function AcceptForm({ token }: { token: string }) {
  const [state, action, pending] = useActionState<AcceptState, FormData>(acceptInvitationAction, { name: "" });
  const field = (name: "name" | "password" | "confirm", label: string, type: string, autoComplete: string) => {
    const error = state.fieldErrors?.[name];
    return (
      <div className="field" data-invalid={error ? "true" : undefined}>
        <label htmlFor={name}>{label}</label>
        <input
          id={name}
          name={name}
          type={type}
          autoComplete={autoComplete}
          defaultValue={name === "name" ? state.name : undefined}
          aria-invalid={error ? true : undefined}
        />
        {error ? (
          <span className="field-error" role="alert">
            {error}
          </span>
        ) : null}
      </div>
    );
  };
  return (
    <form action={action} className="stacked" noValidate>
      {state.error ? (
        <div className="form-error" role="alert">
          {state.error}
        </div>
      ) : null}
      <input type="hidden" name="token" value={token} />
      {field("name", "Your name", "text", "name")}
      {field("password", "Password (at least 12 characters)", "password", "new-password")}
      {field("confirm", "Password again", "password", "new-password")}
      <div>
        <button type="submit" disabled={pending}>
          Create my account
        </button>
      </div>
    </form>
  );
}
