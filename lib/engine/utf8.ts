// Byte counts for the size caps on expression results, rendered templates and
// recorded values. The engine also runs in the browser (the designer loads the
// registry and the validator), where Node's Buffer does not exist; on the
// server Buffer.byteLength is used, as it is native and fast on large strings.

/** The length of `text` encoded as UTF-8; a lone surrogate counts as U+FFFD (3 bytes), as Node encodes it. */
export function utf8ByteLength(text: string): number {
  if (typeof Buffer !== "undefined") return Buffer.byteLength(text);
  let bytes = text.length;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) continue;
    if (code < 0x800) {
      bytes += 1;
      continue;
    }
    const next = text.charCodeAt(index + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      // A surrogate pair: two UTF-16 units, four bytes.
      bytes += 2;
      index++;
      continue;
    }
    bytes += 2;
  }
  return bytes;
}
