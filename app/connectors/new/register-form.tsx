"use client";
import { useActionState, useState } from "react";
import { TextField } from "../../ui/text-field";
import { registerConnectorAction, type RegisterFormState } from "../actions";

function initialState(teamId: string): RegisterFormState {
  return {
    values: { name: "", sourceKind: "local", path: "", repository: "", ref: "", subdirectory: "", scanNow: true, teamId },
    fieldErrors: {},
  };
}

export function RegisterForm({
  localRoot,
  githubHost,
  teams,
}: {
  localRoot: string;
  githubHost: string;
  teams: Array<{ id: number; name: string }>;
}) {
  const [state, action, pending] = useActionState(registerConnectorAction, initialState(String(teams[0]?.id ?? "")));
  const [kind, setKind] = useState(state.values.sourceKind);
  // Re-mount inputs with the submitted values after an error, so nothing typed is lost (except the token).
  const key = JSON.stringify(state.values);
  const errors = state.fieldErrors;
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
      <TextField
        name="name"
        label="Name"
        hint="How reviewers will know this connector, e.g. “Acme CRM connector”."
        error={errors.name}
        defaultValue={state.values.name}
        required
      />

      <fieldset className="field source-kind">
        <legend>Source</legend>
        <label className="checkbox">
          <input type="radio" name="sourceKind" value="local" checked={kind === "local"} onChange={() => setKind("local")} /> Folder on this
          server
        </label>
        <label className="checkbox">
          <input type="radio" name="sourceKind" value="github" checked={kind === "github"} onChange={() => setKind("github")} /> GitHub
          repository
        </label>
      </fieldset>

      <div hidden={kind !== "local"} className="stacked-group">
        <TextField
          name="path"
          label="Folder"
          hint={`A folder on this server, under ${localRoot}. Relative paths are taken from there.`}
          error={errors.path}
          defaultValue={state.values.path}
          placeholder="demo-connector"
          required
        />
      </div>

      <div hidden={kind !== "github"} className="stacked-group">
        <TextField
          name="repository"
          label="Repository"
          hint={`owner/repo, or a URL on ${githubHost} such as https://${githubHost}/owner/repo/tree/main/server (the branch and folder are taken from it).`}
          error={errors.repository}
          defaultValue={state.values.repository}
          placeholder="owner/repo"
          required
        />
        <TextField
          name="ref"
          label="Branch, tag or commit (optional)"
          hint="Empty means the repository's default branch. Every scan resolves it to a commit and records that commit."
          error={errors.ref}
          defaultValue={state.values.ref}
          placeholder="main"
        />
        <TextField
          name="token"
          label="Access token (optional)"
          type="password"
          hint={
            <>
              Needed for private repositories; it also raises GitHub&apos;s rate limit. Create a <strong>fine-grained</strong> personal
              access token for <strong>this one repository</strong> with <strong>read-only Contents</strong> permission and nothing else:
              Launch Review only downloads the code, so any broader access would be pure risk if the token ever leaked. It is encrypted at
              rest and never shown again.
            </>
          }
          error={errors.token ?? (state.tokenDropped ? "For your safety the token was not kept: paste it again." : undefined)}
          defaultValue=""
        />
      </div>

      <TextField
        name="subdirectory"
        label="Subfolder (optional)"
        hint="Where the MCP server lives inside the folder or repository, for monorepos."
        error={errors.subdirectory}
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
