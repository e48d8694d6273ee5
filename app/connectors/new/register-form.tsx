"use client";
import { useActionState, useState } from "react";
import { TextField } from "../../ui/text-field";
import type { FormState } from "../../ui/form-state";
import { registerConnectorAction } from "../actions";

type Kind = "local" | "github" | "npm";

export function RegisterForm({
  localRoot,
  githubHost,
  npmRegistry,
  teams,
}: {
  localRoot: string;
  githubHost: string;
  /** The registry scans read npm packages from, as npm's configuration names it. */
  npmRegistry: string;
  teams: Array<{ id: number; name: string }>;
}) {
  const [state, action, pending] = useActionState<FormState, FormData>(registerConnectorAction, {});
  // After a failure the form is filled again with what was typed (except the token), so nothing is lost.
  const typed = state.values;
  const [kind, setKind] = useState<Kind>(typed?.sourceKind === "github" || typed?.sourceKind === "npm" ? typed.sourceKind : "local");
  const key = JSON.stringify(typed ?? {});
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} className="stacked" noValidate key={key}>
      {state.error ? (
        <div className="form-error" role="alert">
          {state.error}
        </div>
      ) : null}
      <div className="field" data-invalid={errors.teamId ? "true" : undefined}>
        <label htmlFor="teamId">Team</label>
        <span id="teamId-hint" className="hint">
          The team that owns the connector. Only its members will see it.
        </span>
        <select id="teamId" name="teamId" defaultValue={typed?.teamId ?? String(teams[0]?.id ?? "")} aria-describedby="teamId-hint">
          {teams.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        {errors.teamId ? (
          <span id="teamId-error" className="field-error" role="alert">
            {errors.teamId}
          </span>
        ) : null}
      </div>
      <TextField
        name="name"
        label="Name"
        hint="How reviewers will know this connector, e.g. “Acme CRM connector”."
        error={errors.name}
        defaultValue={typed?.name ?? ""}
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
        <label className="checkbox">
          <input type="radio" name="sourceKind" value="npm" checked={kind === "npm"} onChange={() => setKind("npm")} /> npm package
        </label>
      </fieldset>

      <div hidden={kind !== "local"} className="stacked-group">
        <TextField
          name="path"
          label="Folder"
          hint={`A folder on this server, under ${localRoot}. Relative paths are taken from there.`}
          error={errors.path}
          defaultValue={typed?.path ?? ""}
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
          defaultValue={typed?.repository ?? ""}
          placeholder="owner/repo"
          required
        />
        <TextField
          name="ref"
          label="Branch, tag or commit (optional)"
          hint="Empty means the repository's default branch. Every scan resolves it to a commit and records that commit."
          error={errors.ref}
          defaultValue={typed?.ref ?? ""}
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
          error={errors.token ?? (state.dropped?.includes("token") ? "For your safety the token was not kept: paste it again." : undefined)}
          defaultValue=""
        />
      </div>

      <div hidden={kind !== "npm"} className="stacked-group">
        <TextField
          name="package"
          label="Package"
          hint={`A package published on ${npmRegistry}: @scope/name or name (name@version and its npmjs.com page work too). Its tarball is checked against the integrity the registry publishes, then read; it is never installed or run.`}
          error={errors.package}
          defaultValue={typed?.package ?? ""}
          placeholder="@acme/notes-mcp"
          required
        />
        <TextField
          name="version"
          label="Version or dist-tag (optional)"
          hint="Empty means the latest release. Every scan resolves it to an exact version and records that version and the tarball's integrity."
          error={errors.version}
          defaultValue={typed?.version ?? ""}
          placeholder="latest"
        />
      </div>

      <TextField
        name="subdirectory"
        label="Subfolder (optional)"
        hint="Where the MCP server lives inside the folder, repository or package, for monorepos."
        error={errors.subdirectory}
        defaultValue={typed?.subdirectory ?? ""}
      />
      <label className="checkbox">
        <input type="checkbox" name="scanNow" defaultChecked={typed ? typed.scanNow === "on" : true} /> Scan it right away
      </label>
      <div>
        <button type="submit" disabled={pending}>
          {pending ? "Registering…" : "Register connector"}
        </button>
      </div>
    </form>
  );
}
