// A labelled text or password input with its hint and its error beside it, tied together for screen readers.
import type { ReactNode } from "react";

export function TextField(props: {
  name: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  type?: "text" | "password";
  defaultValue?: string;
  required?: boolean;
  placeholder?: string;
  /** Defaults to "new-password" for passwords and "off" otherwise. */
  autoComplete?: string;
}) {
  const errorId = `${props.name}-error`;
  const hintId = `${props.name}-hint`;
  const type = props.type ?? "text";
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
        type={type}
        defaultValue={props.defaultValue}
        required={props.required}
        placeholder={props.placeholder}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={[props.hint ? hintId : "", props.error ? errorId : ""].filter(Boolean).join(" ") || undefined}
        autoComplete={props.autoComplete ?? (type === "password" ? "new-password" : "off")}
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
