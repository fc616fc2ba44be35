"use client";

import { useMutation } from "@tanstack/react-query";
import { PlayIcon } from "lucide-react";
import { type FormEvent, useId, useState } from "react";
import { useOrg } from "@/components/org/org-context";
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
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { toast } from "@/components/ui/toast";
import { ApiError, apiFetch } from "@/lib/api-client";
import { employeeSchema } from "@/lib/events/lifecycle-event";
import type { WorkflowSummary } from "./queries";

// Starts a run by hand with an employee payload. The form checks the payload
// against the same schema the API uses (lib/events/lifecycle-event.ts), so a
// mistake is named next to its field before anything is sent; the server's
// answer is shown the same way.

const FIELDS = [
  { name: "id", label: "Employee id", required: true, placeholder: "E-1001" },
  { name: "firstName", label: "First name", required: true },
  { name: "lastName", label: "Last name", required: true },
  { name: "email", label: "Work email", required: true, type: "email" },
  { name: "title", label: "Job title" },
  { name: "department", label: "Department" },
  { name: "location", label: "Location" },
  { name: "startDate", label: "Start date", type: "date" },
  { name: "endDate", label: "End date", type: "date" },
  { name: "manager.name", label: "Manager's name" },
  { name: "manager.email", label: "Manager's email", type: "email" },
] as const;

type Values = Record<(typeof FIELDS)[number]["name"], string>;
const EMPTY = Object.fromEntries(FIELDS.map((field) => [field.name, ""])) as Values;

/** The form's values as the employee payload: empty fields left out, the manager nested. */
export function employeeFrom(values: Values) {
  const employee: Record<string, unknown> = {};
  const manager: Record<string, string> = {};
  for (const [name, raw] of Object.entries(values)) {
    const value = raw.trim();
    if (!value) continue;
    if (name.startsWith("manager.")) manager[name.slice("manager.".length)] = value;
    else employee[name] = value;
  }
  if (Object.keys(manager).length > 0) employee.manager = manager;
  return employee;
}

export function StartRunDialog({ workflow }: { workflow: WorkflowSummary }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button size="sm" variant="outline" disabled={!workflow.activeVersionId}>
          <PlayIcon aria-hidden="true" />
          Start run
          <span className="sr-only"> of {workflow.name}</span>
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-xl">
        {open && <StartRunForm workflow={workflow} onDone={() => setOpen(false)} />}
      </DialogContent>
    </Dialog>
  );
}

function StartRunForm({ workflow, onDone }: { workflow: WorkflowSummary; onDone: () => void }) {
  const { organization } = useOrg();
  const ids = useId();
  const [values, setValues] = useState<Values>(EMPTY);
  const [test, setTest] = useState(true);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const start = useMutation({
    mutationFn: (body: unknown) =>
      apiFetch<{ run: { id: string } }>(`/api/v1/workflows/${workflow.id}/runs`, {
        org: organization.slug,
        body,
      }),
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const employee = employeeFrom(values);
    const checked = employeeSchema.safeParse(employee);
    if (!checked.success) {
      setIssues(
        Object.fromEntries(
          checked.error.issues.map((issue) => [issue.path.join("."), issue.message]),
        ),
      );
      return;
    }
    setIssues({});
    start.mutate(
      { employee: checked.data, test },
      {
        onSuccess: ({ run }) => {
          toast({
            title: test ? "Test run started" : "Run started",
            description: `Run ${run.id} of “${workflow.name}” is under way.`,
            variant: "success",
          });
          onDone();
        },
        onError: (failure) => {
          if (failure instanceof ApiError && failure.issues.length > 0) {
            setIssues(
              Object.fromEntries(
                failure.issues.map((issue) => [
                  issue.field.replace(/^employee\./, ""),
                  issue.message,
                ]),
              ),
            );
            return;
          }
          toast({
            title: "Could not start the run",
            description: failure.message,
            variant: "destructive",
          });
        },
      },
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      <DialogHeader>
        <DialogTitle>Start “{workflow.name}”</DialogTitle>
        <DialogDescription>
          Runs the published version for this employee. A test run records what emails, messages and
          requests would have been sent, without sending them.
        </DialogDescription>
      </DialogHeader>
      <div className="grid max-h-[50vh] gap-3 overflow-y-auto pr-1 sm:grid-cols-2">
        {FIELDS.map((field) => {
          const id = `${ids}-${field.name}`;
          const message = issues[field.name];
          return (
            <div key={field.name} className="grid gap-1.5">
              <Label htmlFor={id}>
                {field.label}
                {"required" in field && field.required ? " *" : ""}
              </Label>
              <Input
                id={id}
                type={"type" in field ? field.type : "text"}
                value={values[field.name]}
                placeholder={"placeholder" in field ? field.placeholder : undefined}
                aria-invalid={message ? true : undefined}
                aria-describedby={message ? `${id}-error` : undefined}
                onChange={(event) =>
                  setValues((current) => ({ ...current, [field.name]: event.target.value }))
                }
              />
              <FieldError id={`${id}-error`} label={field.label} message={message} />
            </div>
          );
        })}
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={test} onChange={(event) => setTest(event.target.checked)} />
        Test run (send nothing)
      </label>
      <DialogFooter>
        <Button type="submit" disabled={start.isPending}>
          {start.isPending ? "Starting…" : test ? "Start test run" : "Start run"}
        </Button>
      </DialogFooter>
    </form>
  );
}
