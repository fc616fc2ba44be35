import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/cn";
import type { HttpMethod } from "./api-reference-model";

// Reads follow the info colour, creation success, changes warning, deletion destructive,
// the convention most API references use.
const METHOD_CLASS: Record<HttpMethod, string> = {
  get: "border-info/25 bg-info/10 text-info",
  post: "border-success/25 bg-success/10 text-success",
  put: "border-warning/40 bg-warning/15 text-warning-foreground dark:text-warning",
  patch: "border-warning/40 bg-warning/15 text-warning-foreground dark:text-warning",
  delete: "border-destructive/25 bg-destructive/10 text-destructive",
};

export function MethodBadge({ method, className }: { method: HttpMethod; className?: string }) {
  return (
    <Badge
      variant="outline"
      className={cn("justify-center font-mono uppercase", METHOD_CLASS[method], className)}
    >
      {method}
    </Badge>
  );
}
