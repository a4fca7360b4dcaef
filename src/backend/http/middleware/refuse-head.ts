/**
 * @module
 * Answers HEAD on reserve and pay with 405, so that a request for headers changes no stock.
 */

import type { MiddlewareHandler } from "hono";
import { problemResponse, toProblem } from "../problems.js";

export interface RefuseHeadOptions {
  /** The Allow header's value for a path, e.g. "GET" or "DELETE". */
  readonly allow: (path: string) => string;
}

/**
 * Hono answers HEAD with the GET handler; on reserve and pay that would change stock for a
 * request that only asked for headers (a link checker, `curl -I`). Such a HEAD gets 405.
 */
export const refuseHead = ({ allow }: RefuseHeadOptions): MiddlewareHandler =>
  async function refuseHead(c, next) {
    if (c.req.method !== "HEAD") return next();
    return problemResponse(
      toProblem("METHOD_NOT_ALLOWED", `HEAD is not allowed on ${c.req.path}: it would change stock.`),
      { allow: allow(c.req.path) },
    );
  };
