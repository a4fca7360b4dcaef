/**
 * @module
 * The server's password hasher: scrypt, run on libuv's thread pool so hashing stays off the event loop.
 */

import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";
import type { PasswordHasher } from "./passwords.js";

const keyLength = 32;
// Modest cost: logins are rare next to reservations, and tests create users often.
const cost = { N: 4096, r: 8, p: 1 } as const;

function derive(password: string, salt: Buffer, length: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** The server's hasher: `scrypt$<salt>$<hash>`, both base64url; scrypt runs on libuv's thread pool. */
export const scryptHasher: PasswordHasher = {
  async hash(password, given) {
    const salt = given === undefined ? randomBytes(16) : Buffer.from(given);
    const hash = await derive(password, salt, keyLength, cost);
    return `scrypt$${salt.toString("base64url")}$${hash.toString("base64url")}`;
  },

  async verify(password, stored) {
    const [scheme, salt, hash] = stored.split("$");
    if (scheme !== "scrypt" || salt === undefined || hash === undefined) return false;
    const expected = Buffer.from(hash, "base64url");
    if (expected.length === 0) return false;
    const actual = await derive(password, Buffer.from(salt, "base64url"), expected.length, cost);
    return timingSafeEqual(expected, actual);
  },
};
