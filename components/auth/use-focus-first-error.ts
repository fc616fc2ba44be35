"use client";

import { useEffect } from "react";
import type { FormErrors } from "./form-errors";

/** After a failed submit, moves focus to the first field at fault so keyboard and screen-reader users land on it. */
export function useFocusFirstError<Field extends string>(
  errors: FormErrors<Field>,
  fieldOrder: readonly Field[],
  idFor: (field: Field) => string,
) {
  useEffect(() => {
    const first = fieldOrder.find((field) => errors.fields[field]);
    if (first) document.getElementById(idFor(first))?.focus();
  }, [errors, fieldOrder, idFor]);
}
