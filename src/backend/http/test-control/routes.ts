/**
 * @module
 * The test-control API's fault and journal routes, behind the app's admin-key guard.
 */

import type { Hono } from "hono";
import { checkFaultRules } from "../../test-control/fault-rules.js";
import type { TestControl } from "../../test-control/index.js";
import type { BearerEnv } from "../middleware/bearer-auth.js";
import { mediaType } from "../middleware/media-type.js";
import { problemResponse, toProblem } from "../problems.js";
import { readBody } from "../read-body.js";
import { checkParameters, singleValuedQuery } from "../reserve-request.js";

export interface TestControlRoutesOptions {
  readonly control: TestControl;
  readonly maxBodyBytes: number;
}

/** PUT/DELETE /__admin/faults and GET /__admin/requests, behind the app's admin-key guard. */
export function testControlRoutes(app: Hono<BearerEnv>, { control, maxBodyBytes }: TestControlRoutesOptions): void {
  if (control.offBecause !== null) {
    const off = `${control.offBecause}: fault rules and the request journal are kept in one process's memory, and several processes serve this port; start the server with --workers 1 to use them (Prefer works either way).`;
    const refuse = (c: { req: { method: string; path: string } }) =>
      problemResponse(toProblem("NOT_FOUND", `No route ${c.req.method} ${c.req.path} with ${off}`));
    app.on(["PUT", "DELETE"], "/__admin/faults", refuse);
    app.get("/__admin/requests", refuse);
    return;
  }
  const json = mediaType({ type: "application/json", detail: "PUT /__admin/faults takes application/json." });
  app.put("/__admin/faults", json, async (c) => {
    const body = await readBody(c, maxBodyBytes);
    if (!body.ok) return body.response;
    let data: unknown;
    try {
      data = JSON.parse(body.text);
    } catch (error) {
      return problemResponse(toProblem("INVALID_PARAMETER", `The body is not valid JSON: ${(error as Error).message}`));
    }
    const checked = checkFaultRules(data);
    if (!checked.ok) {
      const detail = `${checked.errors.map((e) => e.message).join("; ")}. The rules in force are unchanged.`;
      return problemResponse(toProblem("INVALID_PARAMETER", detail, { errors: [...checked.errors] }));
    }
    return c.json({ rules: control.faults.replace(checked.value) });
  });
  app.delete("/__admin/faults", (c) => c.json({ rules: control.faults.clear() }));
  app.get("/__admin/requests", (c) => {
    const url = c.req.url;
    const at = url.indexOf("?");
    const query = singleValuedQuery(new URLSearchParams(at < 0 ? "" : url.slice(at + 1)));
    if (!query.ok) return problemResponse(query.problem);
    const checked = checkParameters("listRequests", "query", query.value);
    if (!checked.ok) return problemResponse(checked.problem);
    const since = checked.value.since;
    const sinceMs = since === undefined ? undefined : Date.parse(since);
    if (sinceMs !== undefined && Number.isNaN(sinceMs)) {
      const detail = `query parameter since is not a date-time (got ${JSON.stringify(since)}); give e.g. 2021-06-21T11:21:51.000Z.`;
      return problemResponse(
        toProblem("INVALID_PARAMETER", detail, { errors: [{ path: "query.since", message: detail }] }),
      );
    }
    return c.json(control.journal.read(sinceMs));
  });
}
