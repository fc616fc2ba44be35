import { ApiError } from "@/lib/api-client";

// Turns an API error into messages for a form: one per field we show, and a
// form-level message for everything else. The API's field messages are
// fragments ("must be at least 12 characters") meant to follow the field's label.

export type FormErrors<Field extends string> = {
  fields: Partial<Record<Field, string>>;
  form?: string;
};

export const NO_ERRORS: FormErrors<never> = { fields: {} };

/** "must be at least 12 characters" → "Password must be at least 12 characters."; sentences pass through. */
export function sentenceFor(label: string, message: string): string {
  const text = /^[A-Z]/.test(message) ? message : `${label} ${message}`;
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

export function tooManyAttemptsMessage(retryAfterSeconds: number | undefined): string {
  if (retryAfterSeconds === undefined || retryAfterSeconds <= 0)
    return "Too many attempts. Try again later.";
  return `Too many attempts. Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}.`;
}

export function formErrorsFrom<Field extends string>(
  error: unknown,
  labels: Record<Field, string>,
): FormErrors<Field> {
  if (!(error instanceof ApiError)) {
    return { fields: {}, form: "Something went wrong. Check your connection and try again." };
  }
  if (error.status === 429)
    return { fields: {}, form: tooManyAttemptsMessage(error.retryAfterSeconds) };
  const fields: Partial<Record<Field, string>> = {};
  for (const field of Object.keys(labels) as Field[]) {
    const message = error.issueFor(field);
    if (message) fields[field] = sentenceFor(labels[field], message);
  }
  if (Object.keys(fields).length > 0) return { fields };
  const others = error.issues.map((issue) =>
    sentenceFor(issue.field === "(body)" ? "The request" : issue.field, issue.message),
  );
  return { fields, form: others.length > 0 ? others.join(" ") : error.message };
}
