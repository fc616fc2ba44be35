import { checkDatabase } from "@/lib/health";

// Readiness: 200 only when the database answers; 503 with the reason otherwise.
export const dynamic = "force-dynamic";

export async function GET() {
  const database = await checkDatabase();
  const headers = { "cache-control": "no-store" };
  if (database.ok) {
    return Response.json({ status: "ready", checks: { database } }, { headers });
  }
  return Response.json(
    { status: "unavailable", reason: database.reason, checks: { database } },
    { status: 503, headers },
  );
}
