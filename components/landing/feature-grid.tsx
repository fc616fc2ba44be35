import {
  ActivityIcon,
  BlocksIcon,
  type LucideIcon,
  ScrollTextIcon,
  ShieldCheckIcon,
  UsersIcon,
  WebhookIcon,
} from "lucide-react";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

type Feature = { icon: LucideIcon; title: string; description: string };

const FEATURES: readonly Feature[] = [
  {
    icon: WebhookIcon,
    title: "Webhooks from any HR system",
    description:
      "BambooHR, Workday, Personio, HiBob or anything that can POST JSON. Every delivery is verified, stored and de-duplicated.",
  },
  {
    icon: ShieldCheckIcon,
    title: "Durable by design",
    description:
      "Each step is memoised and retried with backoff. A crash mid-run loses nothing, and a duplicate delivery never starts a second run.",
  },
  {
    icon: BlocksIcon,
    title: "Visual workflow designer",
    description:
      "Drag in accounts, groups, email, Slack, documents, approvals, conditions and delays. Start from joiner, mover and leaver templates.",
  },
  {
    icon: ActivityIcon,
    title: "Live run timelines",
    description:
      "Watch each run fill in: attempts, input, output and errors for every step, with cancel, re-run and retry from the failed step.",
  },
  {
    icon: ScrollTextIcon,
    title: "Complete audit log",
    description:
      "Every change to workflows, members, credentials and settings, and every run state change, recorded and exportable.",
  },
  {
    icon: UsersIcon,
    title: "Built for HR and IT teams",
    description:
      "Isolated organisations, roles from owner to viewer, encrypted credentials, and a REST API with API keys and an OpenAPI spec.",
  },
];

export function FeatureGrid() {
  return (
    <section
      id="features"
      aria-labelledby="features-heading"
      className="mx-auto max-w-6xl px-6 py-20"
    >
      <div className="max-w-2xl space-y-3">
        <p className="text-sm font-semibold text-primary">Features</p>
        <h2 id="features-heading" className="text-3xl font-semibold tracking-tight">
          Everything the first day and the last day need
        </h2>
        <p className="text-muted-foreground">
          One place to design, run and prove the work around an employee’s lifecycle.
        </p>
      </div>
      <ul className="mt-12 grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {FEATURES.map(({ icon: Icon, title, description }) => (
          <li key={title}>
            <Card className="h-full transition-shadow hover:shadow-md">
              <CardHeader className="gap-3">
                <span className="flex size-10 items-center justify-center rounded-lg bg-primary/10 text-primary">
                  <Icon aria-hidden="true" className="size-5" />
                </span>
                <CardTitle>{title}</CardTitle>
                <CardDescription className="leading-relaxed">{description}</CardDescription>
              </CardHeader>
            </Card>
          </li>
        ))}
      </ul>
    </section>
  );
}
