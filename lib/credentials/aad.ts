/**
 * The AAD that binds a credential's sealed secret to its organisation and
 * its row: a blob copied into another tenant's or another credential's row
 * fails authentication (RELIABILITY K2).
 */
export function credentialAad(organizationId: string, credentialId: string): string {
  return `credential:${organizationId}:${credentialId}`;
}
