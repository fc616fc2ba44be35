import { z } from "zod";

const RESERVED_SLUGS = new Set([
  "api",
  "app",
  "admin",
  "new",
  "settings",
  "sign-in",
  "sign-up",
  "o",
  "dev",
  "invitations",
  "www",
]);

export const slugSchema = z
  .string({ error: "is required" })
  .trim()
  .toLowerCase()
  .min(3, "must be at least 3 characters")
  .max(48, "must be at most 48 characters")
  .regex(
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
    "may only contain lower-case letters, digits and single hyphens between them",
  )
  .refine((slug) => !RESERVED_SLUGS.has(slug), "is reserved; choose another");

export const organizationNameSchema = z
  .string({ error: "is required" })
  .trim()
  .min(2, "must be at least 2 characters")
  .max(120, "must be at most 120 characters");

export const updateOrganizationSchema = z
  .object({ name: organizationNameSchema.optional(), slug: slugSchema.optional() })
  .strict()
  .refine((body) => body.name !== undefined || body.slug !== undefined, "send name, slug or both");

/** A URL slug derived from a name: "Acme Corp." → "acme-corp". */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  return slug.length >= 3 ? slug : `${slug || "org"}-team`;
}
