/**
 * How stored passwords are hashed and checked. The server uses scrypt (scrypt-hasher.ts, Node
 * only); the MSW handlers, which also run in browsers, use PBKDF2 over WebCrypto (pbkdf2-hasher.ts).
 * Both are asynchronous so the hashing runs off the request's critical path where the platform allows.
 */
export interface PasswordHasher {
  /** Hashes with `salt` (default: 16 fresh random bytes) into a self-describing `scheme$salt$hash` string. */
  hash(password: string, salt?: Uint8Array): Promise<string>;
  /** Checks a password against a string from `hash` in constant time; false for another scheme or a malformed string. */
  verify(password: string, stored: string): Promise<boolean>;
}
