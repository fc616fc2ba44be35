import { type APIRequestContext, expect, type Page } from "@playwright/test";

export const APP_PORT = Number(process.env.E2E_PORT ?? 3100);
export const RESEND_URL = `http://127.0.0.1:${Number(process.env.E2E_RESEND_PORT ?? APP_PORT + 1)}`;

export function uniqueEmail(label: string): string {
  return `${label}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.test`;
}

export const PASSWORD = "a long and varied passphrase";

/** Signs in through the real form and waits to land on `expectedPath`. */
export async function signInThroughForm(
  page: Page,
  email: string,
  password: string,
  expectedPath: RegExp,
) {
  // The form works only once hydrated (a dev server hydrates slowly).
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(expectedPath);
}

/** A session for API calls, through next-auth's own CSRF-protected credentials endpoint. */
export async function signInForApi(request: APIRequestContext, email: string, password: string) {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as {
    csrfToken: string;
  };
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true" },
    maxRedirects: 0,
  });
  expect([200, 302]).toContain(response.status());
  const session = (await (await request.get("/api/auth/session")).json()) as {
    user?: { email?: string };
  };
  expect(session.user?.email).toBe(email);
}

export async function signUpForApi(request: APIRequestContext, label: string) {
  const email = uniqueEmail(label);
  const response = await request.post("/api/sign-up", {
    data: {
      name: `${label} owner`,
      email,
      password: PASSWORD,
      organizationName: `${label} ${Date.now().toString(36)}`,
    },
    headers: { "x-forwarded-for": `198.18.0.${Math.floor(Math.random() * 250) + 1}` },
  });
  expect(response.status(), await response.text()).toBe(201);
  const body = (await response.json()) as {
    organization: { id: string; slug: string; name: string };
  };
  return { email, organization: body.organization };
}

type ReceivedEmail = { to: string[]; subject: string; text: string | null; html: string | null };

/** The newest email the fake Resend server received for `to`. */
export async function latestEmailTo(
  request: APIRequestContext,
  to: string,
): Promise<ReceivedEmail> {
  let found: ReceivedEmail | undefined;
  await expect
    .poll(async () => {
      const emails = (await (
        await request.get(`${RESEND_URL}/_test/emails`)
      ).json()) as ReceivedEmail[];
      found = emails.filter((email) => email.to.includes(to)).at(-1);
      return Boolean(found);
    })
    .toBe(true);
  return found as ReceivedEmail;
}
