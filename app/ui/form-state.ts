// The state every form action returns (through app/_server/action.ts), read by the form components.

export interface FormState {
  /** A message beside each field that was refused. */
  fieldErrors?: Partial<Record<string, string>>;
  /** A message about the whole form. */
  error?: string;
  /** A one-line success message. */
  notice?: string;
  /** A secret shown exactly once (an invitation link, an API token). */
  secret?: string;
  /** What was typed, to fill the form again after a failure (never secrets). */
  values?: Partial<Record<string, string>>;
  /** Secret fields that were typed but are not sent back: the form asks for them again. */
  dropped?: string[];
}
