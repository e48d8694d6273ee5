"use client";
// A form for a server action that returns FormState: fields described as data, errors beside each field,
// typed values kept after an error, a notice on success, and a secret shown once.
import { useActionState } from "react";
import type { FormState } from "./form-state";

export type FieldSpec =
  | {
      name: string;
      label: string;
      type: "text" | "email" | "url" | "number" | "password";
      hint?: string;
      defaultValue?: string;
      placeholder?: string;
    }
  | { name: string; label: string; type: "select"; hint?: string; defaultValue?: string; options: Array<{ value: string; label: string }> }
  | { name: string; label: string; type: "checkbox"; hint?: string; defaultChecked?: boolean };

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
  // React resets a form after its action runs; on an error we put back what was typed (never passwords).
  const secretFields = new Set(fields.filter((f) => f.type === "password").map((f) => f.name));
  const [state, formAction, pending] = useActionState<FormState & { values?: Record<string, string> }, FormData>(async (prev, form) => {
    const values: Record<string, string> = {};
    for (const [k, v] of form.entries()) if (typeof v === "string" && !secretFields.has(k)) values[k] = v;
    const result = await action(prev, form);
    return result.error || result.fieldErrors ? { ...result, values } : result;
  }, {});
  const typed = state.values;
  return (
    <form action={formAction} className="stacked" noValidate data-testid={testId} key={typed ? JSON.stringify(typed) : "fresh"}>
      {state.error ? (
        <div className="form-error" role="alert">
          {state.error}
        </div>
      ) : null}
      {state.notice ? (
        <div className="notice" role="status">
          {state.notice}
        </div>
      ) : null}
      {state.secret ? (
        <div className="secret-once" data-testid="secret-once">
          {state.secret}
        </div>
      ) : null}
      {fields.map((f) => {
        const error = state.fieldErrors?.[f.name];
        const id = `${testId ?? "f"}-${f.name}`;
        const describedBy = [f.hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
        return (
          <div key={f.name} className={f.type === "checkbox" ? "field checkbox" : "field"} data-invalid={error ? "true" : undefined}>
            {f.type === "checkbox" ? (
              <>
                <input
                  id={id}
                  name={f.name}
                  type="checkbox"
                  defaultChecked={typed ? typed[f.name] === "on" : f.defaultChecked}
                  aria-describedby={describedBy}
                />
                <label htmlFor={id}>{f.label}</label>
              </>
            ) : (
              <>
                <label htmlFor={id}>{f.label}</label>
                {f.type === "select" ? (
                  <select
                    id={id}
                    name={f.name}
                    defaultValue={typed?.[f.name] ?? f.defaultValue}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={describedBy}
                  >
                    {f.options.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={id}
                    name={f.name}
                    type={f.type}
                    defaultValue={f.type === "password" ? undefined : (typed?.[f.name] ?? f.defaultValue)}
                    placeholder={f.placeholder}
                    autoComplete="off"
                    aria-invalid={error ? true : undefined}
                    aria-describedby={describedBy}
                  />
                )}
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
