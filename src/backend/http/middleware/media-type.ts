/**
 * @module
 * Refuses a request body of another media type with 415.
 */

import type { MiddlewareHandler } from "hono";
import { problemResponse, toProblem } from "../problems.js";
import { requestHeader } from "../request-header.js";

export interface MediaTypeOptions {
  /** The one media type the route takes, e.g. application/json (parameters such as charset ignored). */
  readonly type: string;
  /** The 415 problem's detail, naming the route and the type, e.g. "PUT /__admin/stock takes application/json." */
  readonly detail: string;
}

/** Refuses a body of any other media type with 415 UNSUPPORTED_MEDIA_TYPE. */
export const mediaType = ({ type, detail }: MediaTypeOptions): MiddlewareHandler =>
  async function mediaType(c, next) {
    const given = (requestHeader(c, "content-type") ?? "").split(";")[0]?.trim().toLowerCase();
    if (given !== type) return problemResponse(toProblem("UNSUPPORTED_MEDIA_TYPE", detail));
    await next();
  };
