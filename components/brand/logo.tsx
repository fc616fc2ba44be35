import { WorkflowIcon } from "lucide-react";
import { cn } from "@/lib/cn";

export type LogoProps = {
  className?: string;
  /** Hide the wordmark, e.g. where space is tight; the mark keeps an accessible name. */
  markOnly?: boolean;
};

export function Logo({ className, markOnly = false }: LogoProps) {
  return (
    <span className={cn("inline-flex items-center gap-2 font-semibold tracking-tight", className)}>
      <span className="flex size-7 items-center justify-center rounded-md bg-primary text-primary-foreground shadow-xs">
        <WorkflowIcon aria-hidden="true" className="size-4" />
      </span>
      {markOnly ? <span className="sr-only">OfficeFlow</span> : <span>OfficeFlow</span>}
    </span>
  );
}
