import "server-only";
import { db } from "@/lib/db/client";

export type OrganizationSummary = {
  id: string;
  slug: string;
  name: string;
  plan: "free" | "team" | "enterprise";
};

export async function findOrganizationBySlug(slug: string): Promise<OrganizationSummary | null> {
  return db().organization.findUnique({
    where: { slug },
    select: { id: true, slug: true, name: true, plan: true },
  });
}
