import "server-only";
import { db } from "@/lib/db/client";

// A webhook delivery is authenticated by its signature, not a session: the
// endpoint id in the URL is what names the organisation. This lookup is
// therefore not tenant-scoped; everything after it goes through forOrg().

export function findEndpointForIngest(endpointId: string) {
  return db().webhookEndpoint.findUnique({
    where: { id: endpointId },
    select: {
      id: true,
      organizationId: true,
      name: true,
      sourceType: true,
      config: true,
      enabled: true,
      secretKeyId: true,
      encryptedSecret: true,
      previousSecretKeyId: true,
      previousEncryptedSecret: true,
      previousSecretExpiresAt: true,
    },
  });
}
