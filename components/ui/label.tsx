import type * as React from "react";
import { cn } from "@/lib/cn";

export type LabelProps = React.ComponentProps<"label">;

/** Pair with a control through `htmlFor`, or wrap the control. */
export function Label({ className, htmlFor, children, ...props }: LabelProps) {
  return (
    <label
      data-slot="label"
      htmlFor={htmlFor}
      className={cn(
        "flex items-center gap-2 text-sm font-medium leading-none select-none peer-disabled:cursor-not-allowed peer-disabled:opacity-50",
        className,
      )}
      {...props}
    >
      {children}
    </label>
  );
}
