"use client";

import { PlayIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { ApiError, apiFetch } from "@/lib/api-client";
import { lifecycleEventDataSchema } from "@/lib/events/lifecycle-event";

// A test run of the draft from the designer: the sample employee is JSON the
// admin can edit, checked against the lifecycle event's schema (the same one
// the API uses) before anything is sent. Side-effecting nodes only record
// what they would send. When the run starts, its page opens.

export const SAMPLE_EVENT = {
  employee: {
    id: "E-1001",
    firstName: "Dana",
    lastName: "Scully",
    email: "dana.scully@example.com",
    title: "Software Engineer",
    department: "Engineering",
    location: "London",
    startDate: "2026-12-01",
    manager: { name: "Walter Skinner", email: "walter.skinner@example.com" },
  },
};

type Props = {
  slug: string;
  workflowId: string;
  disabledReason: string | null;
  /** Saves pending edits; false when the draft could not be saved. */
  flush: () => Promise<boolean>;
};

export function TestRunDialog({ slug, workflowId, disabledReason, flush }: Props) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button
          size="sm"
          variant="outline"
          disabled={disabledReason !== null}
          title={disabledReason ?? "Run the draft with a sample employee; nothing is sent"}
        >
          <PlayIcon aria-hidden="true" /> Test run
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-xl">
        {open && <TestRunForm slug={slug} workflowId={workflowId} flush={flush} />}
      </DialogContent>
    </Dialog>
  );
}

function TestRunForm({ slug, workflowId, flush }: Omit<Props, "disabledReason">) {
  const router = useRouter();
  const id = useId();
  const [text, setText] = useState(() => JSON.stringify(SAMPLE_EVENT, null, 2));
  const [issues, setIssues] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const check = (value: string): { data: unknown; issues: string[] } => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      return {
        data: null,
        issues: [`Not valid JSON: ${error instanceof Error ? error.message : ""}`],
      };
    }
    const result = lifecycleEventDataSchema.safeParse(parsed);
    if (result.success) return { data: result.data, issues: [] };
    return {
      data: null,
      issues: result.error.issues.map(
        (issue) => `${issue.path.join(".") || "(the whole payload)"}: ${issue.message}`,
      ),
    };
  };

  const start = async () => {
    const checked = check(text);
    setIssues(checked.issues);
    if (checked.issues.length > 0) return;
    setBusy(true);
    try {
      if (!(await flush())) {
        setIssues(["The draft could not be saved; see the save status in the toolbar."]);
        return;
      }
      const { run } = await apiFetch<{ run: { id: string } }>(
        `/api/v1/workflows/${encodeURIComponent(workflowId)}/runs`,
        { org: slug, body: { ...(checked.data as object), test: true, source: "draft" } },
      );
      router.push(`/o/${encodeURIComponent(slug)}/runs/${encodeURIComponent(run.id)}`);
    } catch (error) {
      setIssues(
        error instanceof ApiError && error.issues.length > 0
          ? error.issues.map((issue) => `${issue.field}: ${issue.message}`)
          : [error instanceof Error ? error.message : "The run could not be started."],
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void start();
      }}
      className="grid gap-4"
    >
      <DialogHeader>
        <DialogTitle>Test run of the draft</DialogTitle>
        <DialogDescription>
          The workflow runs with this event. Emails, Slack messages and HTTP calls are not sent; the
          run records what they would have sent.
        </DialogDescription>
      </DialogHeader>
      <div className="space-y-1.5">
        <label htmlFor={`${id}-event`} className="text-sm font-medium">
          Event data (employee, and previous for transfers)
        </label>
        <textarea
          id={`${id}-event`}
          rows={14}
          spellCheck={false}
          value={text}
          aria-invalid={issues.length > 0 || undefined}
          aria-describedby={issues.length > 0 ? `${id}-issues` : undefined}
          onChange={(event) => {
            setText(event.target.value);
            if (issues.length > 0) setIssues(check(event.target.value).issues);
          }}
          className="w-full rounded-md border border-input bg-background px-3 py-2 font-mono text-xs shadow-xs aria-invalid:border-destructive"
        />
        {issues.length > 0 && (
          <ul
            id={`${id}-issues`}
            className="list-disc space-y-0.5 pl-5 text-sm text-destructive"
            role="alert"
          >
            {issues.map((issue) => (
              <li key={issue}>{issue}</li>
            ))}
          </ul>
        )}
      </div>
      <DialogFooter>
        <Button type="submit" disabled={busy}>
          <PlayIcon aria-hidden="true" /> {busy ? "Starting…" : "Start test run"}
        </Button>
      </DialogFooter>
    </form>
  );
}
