import {
  BotIcon,
  ClockIcon,
  DatabaseIcon,
  GlobeIcon,
  type LucideIcon,
  MailIcon,
  MessageSquareIcon,
  PlugIcon,
  RepeatIcon,
  ShuffleIcon,
  SparklesIcon,
  SplitIcon,
  UserCheckIcon,
  WorkflowIcon,
  ZapIcon,
} from "lucide-react";
import type { NodeCategory } from "@/lib/nodes/node-kind";

// How the designer shows node kinds: the palette's groups in order, and an
// icon and accent per kind (falling back to its category).

export const CATEGORIES: { id: NodeCategory; label: string }[] = [
  { id: "trigger", label: "Triggers" },
  { id: "logic", label: "Logic" },
  { id: "timing", label: "Timing" },
  { id: "people", label: "People" },
  { id: "messaging", label: "Messaging" },
  { id: "integrations", label: "Integrations" },
  { id: "ai", label: "AI" },
  { id: "data", label: "Data" },
];

const CATEGORY_ACCENT: Record<NodeCategory, string> = {
  trigger: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200",
  logic: "bg-violet-100 text-violet-800 dark:bg-violet-950 dark:text-violet-200",
  timing: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200",
  people: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-200",
  messaging: "bg-blue-100 text-blue-800 dark:bg-blue-950 dark:text-blue-200",
  integrations: "bg-slate-200 text-slate-800 dark:bg-slate-800 dark:text-slate-100",
  ai: "bg-fuchsia-100 text-fuchsia-800 dark:bg-fuchsia-950 dark:text-fuchsia-200",
  data: "bg-teal-100 text-teal-800 dark:bg-teal-950 dark:text-teal-200",
};

const CATEGORY_ICON: Record<NodeCategory, LucideIcon> = {
  trigger: ZapIcon,
  logic: SplitIcon,
  timing: ClockIcon,
  people: UserCheckIcon,
  messaging: MessageSquareIcon,
  integrations: PlugIcon,
  ai: SparklesIcon,
  data: DatabaseIcon,
};

const KIND_ICON: Record<string, LucideIcon> = {
  email: MailIcon,
  http_request: GlobeIcon,
  loop: RepeatIcon,
  switch: ShuffleIcon,
  sub_workflow: WorkflowIcon,
  ai_text: BotIcon,
};

export function kindIcon(kind: string, category: NodeCategory | undefined): LucideIcon {
  return KIND_ICON[kind] ?? (category ? CATEGORY_ICON[category] : PlugIcon);
}

export function categoryAccent(category: NodeCategory | undefined): string {
  return category ? CATEGORY_ACCENT[category] : CATEGORY_ACCENT.integrations;
}
