import { readJsonBody, requestMeta } from "@/lib/api/http";
import { publicRoute } from "@/lib/api/public-route";
import { decideByLink, decisionInputSchema } from "@/lib/approvals/service";
import { consumeRateLimit } from "@/lib/db/rate-limit";

// The emailed approval link's decision. Opening the link (GET of the page)
// only shows the request, because mail scanners fetch links; deciding is this
// POST. The token is the credential (no session, so no cross-site request can
// borrow one) and it works once: 404 unknown, 410 used or expired, 409 when
// the approval was already decided.

/** Tokens are 256-bit and cannot be guessed; the limit keeps floods of lookups off the database. */
const APPROVAL_LINK_LIMIT = { limit: 30, windowSeconds: 60 };

export const POST = publicRoute(
  "the link's token authorises the decision",
  async (request, params) => {
    const meta = requestMeta(request);
    // Without a trusted client address a shared bucket would let one client block every approver.
    if (meta.ip) await consumeRateLimit(`approval-link:ip:${meta.ip}`, APPROVAL_LINK_LIMIT);
    const input = await readJsonBody(request, decisionInputSchema);
    return decideByLink(params.token as string, input, meta);
  },
);
