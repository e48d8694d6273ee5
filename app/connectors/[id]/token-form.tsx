"use client";
// Replace or remove a GitHub connector's access token. It only ever learns whether a token is set, never the token.
import { useActionState } from "react";
import type { FormState } from "../../ui/form-state";
import { connectorTokenAction } from "../actions";

export function TokenForm({ connectorId, hasToken }: { connectorId: number; hasToken: boolean }) {
  const [state, action, pending] = useActionState<FormState, FormData>(connectorTokenAction, {});
  const error = state.fieldErrors?.token ?? state.error;
  return (
    <div className="panel token-panel" data-testid="token-panel">
      <h2>Access token</h2>
      <p>
        <strong data-testid="token-status">{hasToken ? "Token set" : "No token"}</strong>.{" "}
        <span className="subtle">
          Use a fine-grained token for this one repository with read-only Contents permission. It is encrypted at rest and never shown
          again; the next scan uses the new one.
        </span>
      </p>
      <form action={action}>
        <input type="hidden" name="connectorId" value={connectorId} />
        <div className="field" data-invalid={error ? "true" : undefined}>
          <label htmlFor="token">{hasToken ? "New token" : "Token"}</label>
          <input
            id="token"
            name="token"
            type="password"
            autoComplete="new-password"
            spellCheck={false}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "token-error" : undefined}
          />
        </div>
        <button type="submit" name="intent" value="save" disabled={pending}>
          {hasToken ? "Replace token" : "Save token"}
        </button>
        {hasToken ? (
          <button type="submit" name="intent" value="remove" className="secondary" disabled={pending}>
            Remove token
          </button>
        ) : null}
      </form>
      {error ? (
        <p id="token-error" className="field-error" role="alert">
          {error}
        </p>
      ) : state.notice ? (
        <p role="status">{state.notice}</p>
      ) : null}
    </div>
  );
}
