"use client";
import { useActionState } from "react";
import { registerConnectorAction, type RegisterFormState } from "../actions";

function initialState(teamId: string): RegisterFormState {
  return { values: { name: "", path: "", subdirectory: "", scanNow: true, teamId }, fieldErrors: {} };
}

function Field(props: {
  name: "name" | "path" | "subdirectory";
  label: string;
  hint?: string;
  error?: string;
  defaultValue: string;
  required?: boolean;
  placeholder?: string;
}) {
  const errorId = `${props.name}-error`;
  const hintId = `${props.name}-hint`;
  return (
    <div className="field" data-invalid={props.error ? "true" : undefined}>
      <label htmlFor={props.name}>{props.label}</label>
      {props.hint ? (
        <span id={hintId} className="hint">
          {props.hint}
        </span>
      ) : null}
      <input
        id={props.name}
        name={props.name}
        type="text"
        defaultValue={props.defaultValue}
        required={props.required}
        placeholder={props.placeholder}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={[props.hint ? hintId : "", props.error ? errorId : ""].filter(Boolean).join(" ") || undefined}
        autoComplete="off"
        spellCheck={false}
      />
      {props.error ? (
        <span id={errorId} className="field-error" role="alert">
          {props.error}
        </span>
      ) : null}
    </div>
  );
}

export function RegisterForm({ localRoot, teams }: { localRoot: string; teams: Array<{ id: number; name: string }> }) {
  const [state, action, pending] = useActionState(registerConnectorAction, initialState(String(teams[0]?.id ?? "")));
  // Re-mount inputs with the submitted values after an error, so nothing typed is lost.
  const key = JSON.stringify(state.values);
  return (
    <form action={action} className="stacked" noValidate key={key}>
      {state.formError ? (
        <div className="form-error" role="alert">
          {state.formError}
        </div>
      ) : null}
      <div className="field" data-invalid={state.fieldErrors.teamId ? "true" : undefined}>
        <label htmlFor="teamId">Team</label>
        <span id="teamId-hint" className="hint">
          The team that owns the connector. Only its members will see it.
        </span>
        <select id="teamId" name="teamId" defaultValue={state.values.teamId} aria-describedby="teamId-hint">
          {teams.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        {state.fieldErrors.teamId ? (
          <span id="teamId-error" className="field-error" role="alert">
            {state.fieldErrors.teamId}
          </span>
        ) : null}
      </div>
      <Field
        name="name"
        label="Name"
        hint="How reviewers will know this connector, e.g. “Acme CRM connector”."
        error={state.fieldErrors.name}
        defaultValue={state.values.name}
        required
      />
      <Field
        name="path"
        label="Folder"
        hint={`A folder on this server, under ${localRoot}. Relative paths are taken from there.`}
        error={state.fieldErrors.path}
        defaultValue={state.values.path}
        placeholder="demo-connector"
        required
      />
      <Field
        name="subdirectory"
        label="Subfolder (optional)"
        hint="Where the MCP server lives inside the folder, for monorepos."
        error={state.fieldErrors.subdirectory}
        defaultValue={state.values.subdirectory}
      />
      <label className="checkbox">
        <input type="checkbox" name="scanNow" defaultChecked={state.values.scanNow} /> Scan it right away
      </label>
      <div>
        <button type="submit" disabled={pending}>
          {pending ? "Registering…" : "Register connector"}
        </button>
      </div>
    </form>
  );
}
