/**
 * @module
 * Refuses a request whose URL is over the limit before anything parses it.
 */

import type { MiddlewareHandler } from "hono";
import { problemResponse, toProblem } from "../problems.js";

export interface UriLimitOptions {
  /** Longest request target accepted; longer gets 414 URI_TOO_LONG. */
  readonly maxLength: number;
}

/** Refuses a request whose URL is longer than the limit before anything parses it. */
export const uriLimit = ({ maxLength }: UriLimitOptions): MiddlewareHandler =>
  async function uriLimit(c, next) {
    if (c.req.url.length > maxLength) {
      return problemResponse(toProblem("URI_TOO_LONG", `The request target exceeds ${maxLength} characters.`));
    }
    await next();
  };
