/**
 * Which browser origins (`--cors`) and Host names (`--allowed-hosts`) the server accepts, as values:
 * parsed here, with the settings; enforced by the HTTP middleware (http/middleware/cors.ts, allowed-hosts.ts).
 */

/**
 * Which browser origins may call the API: "loopback" (http(s)://localhost, 127.x.x.x or [::1] on any
 * port — a dev server such as Vite's), "*" (any origin), or exact origins such as "https://staging.shop.test".
 */
export type CorsOrigins = readonly string[];

export const loopbackOrigins = "loopback";
export const anyOrigin = "*";

const loopbackHost = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/** True for http(s) origins on a loopback host, whatever the port. */
export function isLoopbackOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return (url.protocol === "http:" || url.protocol === "https:") && loopbackHost.test(url.hostname);
}

/**
 * Checks one `--cors` entry: "loopback", "*", or an origin (scheme://host[:port], no path).
 * Returns the entry as the middleware compares it, or throws a message naming the fix.
 */
export function parseCorsOrigin(entry: string): string {
  const text = entry.trim();
  if (text === loopbackOrigins || text === anyOrigin) return text;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (
    url === undefined ||
    (url.protocol !== "http:" && url.protocol !== "https:") ||
    url.origin !== text.replace(/\/$/, "")
  ) {
    throw new Error(
      `--cors: ${JSON.stringify(text)} is not an origin; give scheme://host[:port] without a path (e.g. http://localhost:5173), "loopback" or "*"`,
    );
  }
  return url.origin;
}

/**
 * Host names the server answers to besides the built-in ones: exact names ("shop.test"), a leading
 * dot for a domain and its subdomains (".shop.test"), or "*" for any Host at all.
 */
export type AllowedHosts = readonly string[];

export const anyHost = "*";
