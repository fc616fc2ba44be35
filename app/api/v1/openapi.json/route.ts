import { publicRoute } from "@/lib/api/public-route";
import { openApiDocument } from "@/lib/openapi";

export const GET = publicRoute("the API description is public", async () => openApiDocument());
