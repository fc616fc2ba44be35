#!/usr/bin/env bash
# Posts a Standard Webhooks-signed onboarding delivery with curl, the way an HR
# system would (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md):
# signature = base64(HMAC-SHA256(base64-decoded secret, "<id>.<timestamp>.<body>")).
#   scripts/send-demo-webhook.sh <endpoint URL> <whsec_ secret> [body JSON]
set -euo pipefail
url="$1"
secret="$2"
body="${3:-}"
if [ -z "$body" ]; then
  body='{"type":"employee.onboard","employee":{"id":"E-1001","firstName":"Dana","lastName":"Scully","email":"dana@acme.example","department":"Engineering","title":"Engineer","startDate":"2030-01-07","manager":{"name":"Walter Skinner","email":"manager@acme.example"}}}'
fi
id="msg_$(date +%s%N)"
timestamp="$(date +%s)"
key_hex="$(printf '%s' "${secret#whsec_}" | base64 -d | xxd -p -c 256)"
signature="$(printf '%s' "${id}.${timestamp}.${body}" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:${key_hex}" -binary | base64)"
curl --silent --show-error --fail-with-body -X POST "$url" \
  -H "content-type: application/json" \
  -H "webhook-id: ${id}" \
  -H "webhook-timestamp: ${timestamp}" \
  -H "webhook-signature: v1,${signature}" \
  --data-raw "$body"
echo
