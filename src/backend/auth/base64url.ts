/** base64url without padding, over web-standard btoa/atob (no Buffer), for the browser build. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Inverse of toBase64Url; throws on characters outside the alphabet. */
export function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Decodes standard base64 (as in HTTP Basic) to UTF-8 text; throws when it is not base64. */
export function decodeBase64Text(text: string): string {
  return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)));
}

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * True when `text` is the one unpadded base64url spelling of its bytes (RFC 4648 §5, §3.5): only
 * the alphabet, no "=", no impossible length, and zero unused bits in the last character. atob and
 * Buffer also accept padded spellings and ones whose unused bits are set, so one token would have
 * several spellings — several identities for a cache or a denylist.
 *
 * @example isCanonicalBase64Url("QQ") === true; isCanonicalBase64Url("QR") === false // both decode to "A"
 */
export function isCanonicalBase64Url(text: string): boolean {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return false;
  const tail = text.length % 4;
  if (tail === 0) return true;
  if (tail === 1) return false;
  // The last character carries 2 (tail 2) or 4 (tail 3) bits that belong to no byte.
  const unusedBits = tail === 2 ? 0b1111 : 0b11;
  return (alphabet.indexOf(text.at(-1) as string) & unusedBits) === 0;
}

/** True when `token` is three dot-separated segments, each canonical base64url (a JWS in compact form). */
export function isCanonicalCompactJws(token: string): boolean {
  const segments = token.split(".");
  return segments.length === 3 && segments.every(isCanonicalBase64Url);
}
