/**
 * @module
 * The password salt and a token's credential version, derived alike in every process that shares the secret.
 */

import { toBase64Url } from "./base64url.js";

const encoder = new TextEncoder();

/**
 * The salt a user's password is hashed with: HMAC-SHA-256(token secret, username), first 16 bytes.
 * Deterministic on purpose: every worker process, and every restart with the same secret and
 * password, derives the same hash and so the same credential version; a token issued by one
 * process is then accepted by the others. Unique per user and per secret, and unknown without the secret.
 */
export async function passwordSalt(secret: string, username: string): Promise<Uint8Array> {
  const key = await globalThis.crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await globalThis.crypto.subtle.sign("HMAC", key, encoder.encode(`password salt\u0000${username}`));
  return new Uint8Array(mac).slice(0, 16);
}

/**
 * A token's `credential_version` claim: the first 8 bytes of SHA-256 over the stored password hash,
 * never the hash itself. A password change changes it, which revokes the user's earlier tokens.
 */
export async function credentialVersion(passwordHash: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest("SHA-256", encoder.encode(passwordHash));
  return toBase64Url(new Uint8Array(digest).slice(0, 8));
}
