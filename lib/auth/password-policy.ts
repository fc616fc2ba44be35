import { z } from "zod";

// NIST SP 800-63B style: length over composition rules, and no obvious choices.
const COMMON = new Set([
  "password1234",
  "123456789012",
  "qwertyuiopas",
  "letmein12345",
  "officeflow123",
  "passwordpassword",
  "iloveyou1234",
  "welcome12345",
  "adminadmin123",
]);

export const passwordSchema = z
  .string({ error: "is required" })
  .min(12, "must be at least 12 characters")
  .max(128, "must be at most 128 characters")
  .refine((value) => !COMMON.has(value.toLowerCase()), "is too common; choose another")
  .refine(
    (value) => new Set(value).size >= 5,
    "needs more variety (at least 5 different characters)",
  );

export const emailSchema = z
  .string({ error: "is required" })
  .trim()
  .toLowerCase()
  .max(320, "is too long")
  .pipe(z.email("must be a valid email address"));
