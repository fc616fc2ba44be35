// Event names the app sends to Inngest. Data carries ids only, never secrets.

/** Starts a run that exists as a queued WorkflowRun row. The event id is the run id. */
export const RUN_REQUESTED_EVENT = "officeflow/run.requested";
export type RunRequestedData = { organizationId: string; runId: string };

/** Cancels a run (the run-workflow function's cancelOn matches on runId). */
export const RUN_CANCELLED_EVENT = "officeflow/run.cancelled";

export { APPROVAL_DECIDED_EVENT } from "@/lib/nodes/approval";

/** A stored lifecycle event waiting to start the workflows it triggers. The event id is `lifecycle-<id>`. */
export const LIFECYCLE_RECEIVED_EVENT = "officeflow/lifecycle.received";
export type LifecycleReceivedData = { organizationId: string; lifecycleEventId: string };
