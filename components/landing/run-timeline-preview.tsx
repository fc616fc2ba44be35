import {
  CircleCheckIcon,
  CircleDashedIcon,
  HourglassIcon,
  type LucideIcon,
  UserPlusIcon,
} from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { cn } from "@/lib/cn";

type PreviewStep = {
  name: string;
  detail: string;
  status: "completed" | "waiting" | "queued";
};

// Illustrative data only: the landing page must render without a database.
const STEPS: readonly PreviewStep[] = [
  {
    name: "Webhook received from BambooHR",
    detail: "Signature verified · 0.1s",
    status: "completed",
  },
  {
    name: "Create Google Workspace account",
    detail: "dana@acme.example · 1.4s",
    status: "completed",
  },
  { name: "Add to Engineering and All staff", detail: "2 groups · 0.8s", status: "completed" },
  { name: "Send personalised welcome email", detail: "Delivered · 0.6s", status: "completed" },
  { name: "Manager approves laptop order", detail: "Waiting for Sam Ortiz", status: "waiting" },
  { name: "Wait until start date", detail: "Resumes at 09:00 on her first day", status: "queued" },
];

const STATUS_ICON: Record<PreviewStep["status"], { icon: LucideIcon; className: string }> = {
  completed: { icon: CircleCheckIcon, className: "text-success" },
  waiting: { icon: HourglassIcon, className: "text-warning-foreground" },
  queued: { icon: CircleDashedIcon, className: "text-muted-foreground" },
};

export function RunTimelinePreview() {
  return (
    <figure className="relative">
      <figcaption className="sr-only">
        An example onboarding run: four steps completed, one waiting for a manager’s approval.
      </figcaption>
      <Card className="gap-4 shadow-xl shadow-primary/5">
        <CardHeader className="flex-row items-center justify-between gap-4 border-b pb-4">
          <div className="flex items-center gap-3">
            <span className="flex size-9 items-center justify-center rounded-full bg-primary/10 text-primary">
              <UserPlusIcon aria-hidden="true" className="size-4" />
            </span>
            <div>
              <p className="text-sm font-semibold">Onboarding · Dana Whitfield</p>
              <p className="text-xs text-muted-foreground">Senior Engineer · starts Monday</p>
            </div>
          </div>
          <Badge variant="waiting">Waiting</Badge>
        </CardHeader>
        <CardContent>
          <ol className="relative space-y-4">
            {STEPS.map((step, index) => {
              const { icon: Icon, className } = STATUS_ICON[step.status];
              const isLast = index === STEPS.length - 1;
              return (
                <li key={step.name} className="relative flex gap-3">
                  {!isLast && (
                    <span
                      aria-hidden="true"
                      className="absolute top-6 bottom-[-1rem] left-[0.6875rem] w-px bg-border"
                    />
                  )}
                  <Icon
                    aria-hidden="true"
                    className={cn("mt-0.5 size-[1.375rem] shrink-0", className)}
                  />
                  <div className="min-w-0 flex-1">
                    <p
                      className={cn(
                        "text-sm font-medium",
                        step.status === "queued" && "text-muted-foreground",
                      )}
                    >
                      {step.name}
                    </p>
                    <p className="text-xs text-muted-foreground">{step.detail}</p>
                  </div>
                  <Badge variant={step.status} className="self-start capitalize">
                    {step.status}
                  </Badge>
                </li>
              );
            })}
          </ol>
        </CardContent>
      </Card>
    </figure>
  );
}
