"use client";
import { useActionState } from "react";
import { TextField } from "../../ui/text-field";
import type { FormState } from "../../ui/form-state";
import { deleteConnectorAction } from "../actions";

export function DeleteConnectorForm({ connectorId, name }: { connectorId: number; name: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(deleteConnectorAction, {});
  return (
    <form action={action} className="stacked">
      <p>
        Deleting removes the connector with all its scans, findings, tools, reviews and its stored token, at once. The audit log keeps only
        the fact and the ids. This can&apos;t be undone.
      </p>
      <input type="hidden" name="connectorId" value={connectorId} />
      <TextField name="confirmName" label={`Type “${name}” to confirm`} error={state.fieldErrors?.confirmName ?? state.error} />
      <div>
        <button type="submit" className="danger" disabled={pending}>
          Delete connector
        </button>
      </div>
    </form>
  );
}
