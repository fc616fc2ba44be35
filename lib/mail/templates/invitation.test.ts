import { describe, expect, it } from "vitest";
import { invitationEmail } from "@/lib/mail/templates/invitation";

const base = {
  organizationName: "Acme Ltd",
  inviterName: "Ada Lovelace",
  role: "admin" as const,
  acceptUrl: "https://officeflow.test/invitations/accept?token=tok_123&source=email",
  expiresAt: new Date("2026-12-01T09:30:00Z"),
};

describe("invitationEmail", () => {
  it("escapes an organisation and inviter name in the HTML", () => {
    const email = invitationEmail({
      ...base,
      organizationName: "<script>alert(1)</script>",
      inviterName: `Eve "the" O'Hacker & co`,
    });

    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(email.html).toContain("Eve &quot;the&quot; O&#39;Hacker &amp; co");
    // The plain text is not HTML: names appear as typed.
    expect(email.text).toContain("<script>alert(1)</script>");
  });

  it("links the accept URL from the button and the plain text", () => {
    const email = invitationEmail(base);

    expect(email.text).toContain(base.acceptUrl);
    expect(email.html).toContain(
      'href="https://officeflow.test/invitations/accept?token=tok_123&amp;source=email"',
    );
    expect(email.html).toContain("Accept invitation");
  });

  it("states the role, the inviter and the expiry in UTC", () => {
    const email = invitationEmail(base);

    expect(email.subject).toBe("Ada Lovelace invited you to join Acme Ltd on OfficeFlow");
    expect(email.text).toContain("as an admin");
    for (const body of [email.text, email.html]) {
      expect(body).toContain("Tuesday 1 December 2026");
      expect(body).toContain("09:30 UTC");
    }
  });

  it("keeps the subject on one line whatever the names contain", () => {
    const email = invitationEmail({ ...base, organizationName: "Acme\r\nBcc: victim@example.com" });
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it("refuses an accept URL that is not http(s)", () => {
    expect(() => invitationEmail({ ...base, acceptUrl: "javascript:alert(1)" })).toThrow(
      /http\(s\)/,
    );
  });
});
