/**
 * @module
 * Constant-time comparison of secrets and keys, web-standard so the browser build of the mock can use it.
 */

const encoder = new TextEncoder();

/**
 * Constant-time equality of two byte strings: the loop always runs over the longer length and
 * never exits early, so timing reveals neither where they differ nor that the lengths differ.
 * Web-standard only (no node:crypto), so the browser build of the mock can use it too.
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  const length = Math.max(a.length, b.length);
  let difference = a.length ^ b.length;
  for (let i = 0; i < length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

/** Constant-time string equality (for client secrets and admin keys). */
export function safeEqual(a: string, b: string): boolean {
  return bytesEqual(encoder.encode(a), encoder.encode(b));
}
