import { orgRoute } from "@/lib/api/org-route";
import { definitionJsonSchema } from "@/lib/workflows/definition";

// The definition format as JSON Schema (2020-12), for editors and API clients.
export const GET = orgRoute("workflows:read", async () => definitionJsonSchema());
