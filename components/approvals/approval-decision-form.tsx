"use client";

import { CircleCheckIcon, CircleXIcon } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { FormAlert } from "@/components/auth/form-alert";
import { tooManyAttemptsMessage } from "@/components/auth/form-errors";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { ApiError, apiFetch } from "@/lib/api-client";
import { cn } from "@/lib/cn";

type Decision = "approved" | "rejected";

const MAX_COMMENT = 2000;

type FormState =
  | { kind: "editing"; error?: string }
  | { kind: "sending"; decision: Decision }
  | { kind: "done"; decision: Decision }
  /** The server says this link can no longer decide (already used, decided or expired). */
  | { kind: "final"; message: string };

function errorState(error: unknown): FormState {
  if (error instanceof ApiError) {
    if (error.status === 409 || error.status === 410 || error.status === 404)
      return { kind: "final", message: error.message };
    if (error.status === 429)
      return { kind: "editing", error: tooManyAttemptsMessage(error.retryAfterSeconds) };
    const comment = error.issueFor("comment");
    if (comment) return { kind: "editing", error: `Comment ${comment}.` };
  }
  return {
    kind: "editing",
    error: "Your decision could not be sent. Check your connection and try again.",
  };
}

/**
 * Approve or reject, with an optional comment. Opening the link decides
 * nothing (mail scanners open links); only pressing a button here does.
 */
export function ApprovalDecisionForm({ token }: { token: string }) {
  const [state, setState] = useState<FormState>({ kind: "editing" });
  const [comment, setComment] = useState("");
  const commentId = useId();
  const hintId = useId();
  const resultRef = useRef<HTMLDivElement>(null);

  // Move focus to the answer, so keyboard and screen reader users land on it.
  useEffect(() => {
    if (state.kind === "done" || state.kind === "final") resultRef.current?.focus();
  }, [state.kind]);

  async function decide(decision: Decision) {
    setState({ kind: "sending", decision });
    try {
      await apiFetch(`/api/approvals/${encodeURIComponent(token)}`, {
        body: { decision, ...(comment.trim() ? { comment: comment.trim() } : {}) },
      });
      setState({ kind: "done", decision });
    } catch (error) {
      setState(errorState(error));
    }
  }

  if (state.kind === "done")
    return (
      <div
        ref={resultRef}
        tabIndex={-1}
        role="status"
        className="flex items-start gap-3 rounded-md border px-3 py-3 text-sm outline-hidden"
      >
        {state.decision === "approved" ? (
          <CircleCheckIcon aria-hidden="true" className="mt-0.5 size-5 shrink-0 text-success" />
        ) : (
          <CircleXIcon aria-hidden="true" className="mt-0.5 size-5 shrink-0 text-destructive" />
        )}
        <div className="grid gap-1">
          <p className="font-medium">
            {state.decision === "approved" ? "Approved." : "Rejected."} Thank you.
          </p>
          <p className="text-muted-foreground">
            Your decision was recorded and the workflow continues. You can close this page.
          </p>
        </div>
      </div>
    );

  if (state.kind === "final")
    return (
      <div ref={resultRef} tabIndex={-1} className="grid gap-3 outline-hidden">
        <FormAlert>{state.message}</FormAlert>
        <p className="text-sm text-muted-foreground">
          This link can no longer decide the request.{" "}
          <a
            href={`/approvals/${encodeURIComponent(token)}`}
            className="font-medium text-primary underline-offset-4 hover:underline"
          >
            Reload the page
          </a>{" "}
          to see its current state.
        </p>
      </div>
    );

  const sending = state.kind === "sending";
  return (
    <form
      className="grid gap-4"
      aria-busy={sending}
      onSubmit={(event) => {
        // Enter in the form must not decide anything; only the buttons do.
        event.preventDefault();
      }}
    >
      {state.kind === "editing" && state.error && <FormAlert>{state.error}</FormAlert>}
      <div className="grid gap-2">
        <Label htmlFor={commentId}>Comment (optional)</Label>
        <textarea
          id={commentId}
          name="comment"
          rows={3}
          maxLength={MAX_COMMENT}
          value={comment}
          disabled={sending}
          aria-describedby={hintId}
          onChange={(event) => setComment(event.target.value)}
          className={cn(
            "w-full min-w-0 resize-y rounded-md border border-input bg-background px-3 py-2 text-base shadow-xs transition-colors sm:text-sm",
            "placeholder:text-muted-foreground focus-visible:border-ring focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring/40",
            "disabled:cursor-not-allowed disabled:opacity-50",
          )}
        />
        <p id={hintId} className="text-xs text-muted-foreground">
          Saved with your decision; the people who run this workflow can read it.
        </p>
      </div>
      <div className="grid gap-2 sm:grid-cols-2">
        <Button size="lg" disabled={sending} onClick={() => decide("approved")}>
          <CircleCheckIcon aria-hidden="true" />
          {sending && state.decision === "approved" ? "Approving…" : "Approve"}
        </Button>
        <Button
          size="lg"
          variant="outline"
          disabled={sending}
          onClick={() => decide("rejected")}
          className="text-destructive hover:text-destructive"
        >
          <CircleXIcon aria-hidden="true" />
          {sending && state.decision === "rejected" ? "Rejecting…" : "Reject"}
        </Button>
      </div>
    </form>
  );
}
