"use client";
import { useActionState } from "react";
import { deleteConnectorAction, type DeleteState } from "../actions";

export function DeleteConnectorForm({ connectorId, name }: { connectorId: number; name: string }) {
  const [state, action, pending] = useActionState<DeleteState, FormData>(deleteConnectorAction, {});
  return (
    <form action={action} className="stacked">
      <p>
        Deleting removes the connector with all its scans, findings, tools, reviews and its stored token, at once. The audit log keeps only
        the fact and the ids. This can&apos;t be undone.
      </p>
      <input type="hidden" name="connectorId" value={connectorId} />
      <div className="field" data-invalid={state.error ? "true" : undefined}>
        <label htmlFor="confirmName">Type “{name}” to confirm</label>
        <input id="confirmName" name="confirmName" type="text" autoComplete="off" />
        {state.error ? (
          <span className="field-error" role="alert">
            {state.error}
          </span>
        ) : null}
      </div>
      <div>
        <button type="submit" className="danger" disabled={pending}>
          Delete connector
        </button>
      </div>
    </form>
  );
}
