"use client";
// A form for a server action that returns FormState: fields described as data, errors beside each field,
// typed values kept after an error, a notice on success, and a secret shown once.
import { useActionState } from "react";
import type { FormState } from "./form-state";
import { FormMessages } from "./form-messages";

type Labelled = { name: string; label: string; hint?: string };

export type FieldSpec =
  | (Labelled & { type: "text" | "email" | "url" | "number" | "password" | "date"; defaultValue?: string; placeholder?: string })
  | (Labelled & { type: "textarea"; defaultValue?: string; placeholder?: string; rows?: number })
  | (Labelled & { type: "select"; defaultValue?: string; options: Array<{ value: string; label: string }> })
  | (Labelled & { type: "checkbox"; defaultChecked?: boolean })
  | (Labelled & { type: "file"; accept?: string })
  | { name: string; type: "hidden"; value: string };

type Typed = Partial<Record<string, string>> | undefined;

function Control({
  f,
  id,
  typed,
  error,
  describedBy,
}: {
  f: Exclude<FieldSpec, { type: "hidden" }>;
  id: string;
  typed: Typed;
  error?: string;
  describedBy?: string;
}) {
  const common = { id, name: f.name, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy };
  switch (f.type) {
    case "checkbox":
      return <input {...common} type="checkbox" defaultChecked={typed ? typed[f.name] === "on" : f.defaultChecked} />;
    case "select":
      return (
        <select {...common} defaultValue={typed?.[f.name] ?? f.defaultValue}>
          {f.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
    case "file":
      return <input {...common} type="file" accept={f.accept} />;
    case "textarea":
      return <textarea {...common} rows={f.rows ?? 3} defaultValue={typed?.[f.name] ?? f.defaultValue} placeholder={f.placeholder} />;
    default:
      return (
        <input
          {...common}
          type={f.type}
          // Passwords are never put back after an error.
          defaultValue={f.type === "password" ? undefined : (typed?.[f.name] ?? f.defaultValue)}
          placeholder={f.placeholder}
          autoComplete="off"
        />
      );
  }
}

export function ActionForm({
  action,
  fields,
  submitLabel,
  testId,
}: {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  fields: FieldSpec[];
  submitLabel: string;
  testId?: string;
}) {
  // React resets a form after its action runs; after a failure the action sends back what was typed (never secrets).
  const [state, formAction, pending] = useActionState<FormState, FormData>(action, {});
  const typed = state.values as Typed;
  // An error about a field this form doesn't show (a hidden id, a stale version) is said at the top.
  const shown = new Set(fields.filter((f) => f.type !== "hidden").map((f) => f.name));
  const unshown = Object.entries(state.fieldErrors ?? {}).find(([name]) => !shown.has(name))?.[1];
  const formError = state.error ?? unshown;
  return (
    <form action={formAction} className="stacked" noValidate data-testid={testId} key={typed ? JSON.stringify(typed) : "fresh"}>
      <FormMessages error={formError} notice={state.notice} />
      {state.secret ? (
        <div className="secret-once" data-testid="secret-once">
          {state.secret}
        </div>
      ) : null}
      {fields.map((f) => {
        if (f.type === "hidden") return <input key={f.name} type="hidden" name={f.name} value={f.value} />;
        const error = state.fieldErrors?.[f.name];
        const id = `${testId ?? "f"}-${f.name}`;
        const describedBy = [f.hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
        const control = <Control f={f} id={id} typed={typed} error={error} describedBy={describedBy} />;
        return (
          <div key={f.name} className={f.type === "checkbox" ? "field checkbox" : "field"} data-invalid={error ? "true" : undefined}>
            {f.type === "checkbox" ? (
              <>
                {control}
                <label htmlFor={id}>{f.label}</label>
              </>
            ) : (
              <>
                <label htmlFor={id}>{f.label}</label>
                {control}
              </>
            )}
            {f.hint ? (
              <span id={`${id}-hint`} className="hint">
                {f.hint}
              </span>
            ) : null}
            {error ? (
              <span id={`${id}-error`} className="field-error" role="alert">
                {error}
              </span>
            ) : null}
          </div>
        );
      })}
      <div>
        <button type="submit" disabled={pending}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
