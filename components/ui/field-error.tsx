// Validation issues arrive as fragments ("must be at least 3 characters") and
// conflicts as sentences ("This URL is already taken."); both read well here.

export function fieldErrorText(label: string, message: string): string {
  if (!/^[a-z]/.test(message)) return message;
  return `${label} ${message}${/[.!?]$/.test(message) ? "" : "."}`;
}

export function FieldError({
  id,
  label,
  message,
}: {
  id: string;
  label: string;
  message?: string;
}) {
  if (!message) return null;
  return (
    <p id={id} className="text-sm text-destructive">
      {fieldErrorText(label, message)}
    </p>
  );
}
