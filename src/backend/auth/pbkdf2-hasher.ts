/**
 * @module
 * The MSW handlers' password hasher: PBKDF2 over WebCrypto, so it runs in browsers as well as in Node.
 */

import { fromBase64Url, toBase64Url } from "./base64url.js";
import { bytesEqual } from "./constant-time.js";
import type { PasswordHasher } from "./passwords.js";

const keyBits = 256;
/**
 * Modest on purpose: this hasher serves the MSW mock, whose users and passwords are demo
 * configuration living in the app's own bundle. It hashes so that login runs the same code path
 * as the server (stored hash, constant-time check), not to guard real secrets.
 */
const iterations = 10_000;

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, rounds: number): Promise<Uint8Array> {
  const key = await globalThis.crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, [
    "deriveBits",
  ]);
  const bits = await globalThis.crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations: rounds },
    key,
    keyBits,
  );
  return new Uint8Array(bits);
}

/** WebCrypto PBKDF2-SHA-256 (`pbkdf2$<iterations>$<salt>$<hash>`): works in browsers and in Node. */
export const pbkdf2Hasher: PasswordHasher = {
  async hash(password, given) {
    const salt = given === undefined ? globalThis.crypto.getRandomValues(new Uint8Array(16)) : new Uint8Array(given);
    const hash = await derive(password, salt, iterations);
    return `pbkdf2$${iterations}$${toBase64Url(salt)}$${toBase64Url(hash)}`;
  },

  async verify(password, stored) {
    const [scheme, rounds, salt, hash] = stored.split("$");
    if (scheme !== "pbkdf2" || rounds === undefined || salt === undefined || hash === undefined) return false;
    const count = Number(rounds);
    if (!Number.isSafeInteger(count) || count < 1) return false;
    let expected: Uint8Array;
    let saltBytes: Uint8Array<ArrayBuffer>;
    try {
      expected = fromBase64Url(hash);
      saltBytes = new Uint8Array(fromBase64Url(salt));
    } catch {
      return false;
    }
    return bytesEqual(expected, await derive(password, saltBytes, count));
  },
};
