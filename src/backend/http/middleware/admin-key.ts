/**
 * @module
 * Guards the test-control API: 404 when it is disabled, 401 without the right X-Admin-Key.
 */

import type { MiddlewareHandler } from "hono";
import { safeEqual } from "../../auth/constant-time.js";
import { problemResponse, toProblem } from "../problems.js";
import { requestHeader } from "../request-header.js";

export interface AdminKeyOptions {
  /** The test-control API's key; null: the API does not exist (404). */
  readonly key: string | null;
}

/** Guards the test-control API: 404 when it is disabled, 401 ADMIN_KEY_REQUIRED without the right X-Admin-Key. */
export const adminKey = ({ key }: AdminKeyOptions): MiddlewareHandler =>
  async function adminKey(c, next) {
    if (key === null) return problemResponse(toProblem("NOT_FOUND", `No route ${c.req.method} ${c.req.path}.`));
    const given = requestHeader(c, "x-admin-key");
    if (given === undefined || !safeEqual(given, key)) {
      return problemResponse(
        toProblem("ADMIN_KEY_REQUIRED", "The test-control API needs the right X-Admin-Key header."),
      );
    }
    await next();
  };
