"use client";

import type * as React from "react";

const formats = {
  date: { dateStyle: "medium" },
  datetime: { dateStyle: "medium", timeStyle: "short" },
  precise: { dateStyle: "medium", timeStyle: "medium" },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

export type DateTimeProps = Omit<React.ComponentProps<"time">, "dateTime" | "children"> & {
  value: string | Date;
  format?: keyof typeof formats;
};

/**
 * A timestamp in the reader's locale and time zone, with the exact ISO value as its
 * tooltip. Render it only from client-fetched data: the server's time zone differs
 * from the browser's, so server-rendered text would not hydrate.
 */
export function DateTime({ value, format = "datetime", ...props }: DateTimeProps) {
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return <span>—</span>;
  const iso = date.toISOString();
  return (
    <time dateTime={iso} title={iso} {...props}>
      {new Intl.DateTimeFormat(undefined, formats[format]).format(date)}
    </time>
  );
}
