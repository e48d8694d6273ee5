// A one-button form for a server action that needs only a few hidden values (revoke, remove, disable).
export function InlineAction({
  action,
  fields,
  label,
  danger = false,
}: {
  action: (form: FormData) => Promise<void>;
  fields: Record<string, string | number>;
  label: string;
  danger?: boolean;
}) {
  return (
    <form action={action}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className={danger ? "danger" : "secondary"}>
        {label}
      </button>
    </form>
  );
}
