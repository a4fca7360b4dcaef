import { randomBytes, scryptSync, timingSafeEqual } from "node:crypto";

const keyLength = 32;
// Modest cost: logins are rare next to reservations, and tests create users often.
const cost = { N: 4096, r: 8, p: 1 } as const;

/** `scrypt$<salt>$<hash>`, both base64url. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, keyLength, cost);
  return `scrypt$${salt.toString("base64url")}$${hash.toString("base64url")}`;
}

/** Constant-time comparison against a stored hash. */
export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = scryptSync(password, Buffer.from(salt, "base64url"), expected.length, cost);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Constant-time string equality (for client secrets and admin keys). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  // Compare against itself on length mismatch so timing does not reveal the length check.
  return timingSafeEqual(left, left.length === right.length ? right : left) && left.length === right.length;
}
