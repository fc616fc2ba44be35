// Liveness: answers without touching any dependency, so an orchestrator
// restarts the process only when the process itself is stuck.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
