/**
 * @module
 * Reads k6's JSON output of an exported script as histories the checker can judge.
 */

import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { err, ok, type Result } from "../../backend/domain/types.js";
import type { History } from "./format.js";
import { answerOf, byWriter, cutShort, type Picked, parseLabel, requestOfUrl } from "./imported.js";

/** The custom metric the exported k6 script adds one sample to per request, tagged with what the checker needs. */
export const k6Metric = "stockproof_exchange";

interface K6Point {
  readonly type: "Point";
  readonly metric: string;
  readonly data: { readonly time: string; readonly value: number; readonly tags?: Readonly<Record<string, string>> };
}

/**
 * Reads `k6 run --out json=FILE`: one JSON object a line, "Metric" declarations and "Point"
 * samples ({"type":"Point","metric":…,"data":{"time":…,"value":…,"tags":{…}}}). The exported script
 * adds a `stockproof_exchange` point per request whose tags carry label (sp:<phase>:<round>:<case>),
 * url, status, code, user, and the request's start and end (sent/ended, ms since 1970, from the VU's
 * clock); other metrics are ignored. An instance tag (k6-operator runs) names the writer.
 */
export async function readK6(file: string, scenario: string): Promise<Result<History[], string>> {
  const picked: Picked[] = [];
  let target = "";
  let line = 0;
  // The last line of a file cut while k6 wrote it is half a record: left out, the history marked cut.
  const incomplete = cutShort(file);
  let broken: number | null = null;
  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  try {
    for await (const text of lines) {
      // A broken line is forgiven only as the last line of a cut file.
      if (broken !== null)
        return err(`${file}:${broken}: not JSON — expected k6's JSON output (k6 run --out json=${file}).`);
      line++;
      if (text.trim() === "") continue;
      let point: K6Point;
      try {
        point = JSON.parse(text) as K6Point;
      } catch {
        if (incomplete === undefined)
          return err(`${file}:${line}: not JSON — expected k6's JSON output (k6 run --out json=${file}).`);
        broken = line;
        continue;
      }
      if (point.type !== "Point" || point.metric !== k6Metric) continue;
      const tags = point.data.tags ?? {};
      const label = parseLabel(tags.label ?? "");
      const request = requestOfUrl(tags.url ?? "");
      if (label === null || request === null)
        return err(
          `${file}:${line}: a ${k6Metric} point without label or order url tags (got ${JSON.stringify(tags)}).`,
        );
      if (target === "") target = new URL(tags.url ?? "", "http://unknown").origin;
      const status = Number(tags.status);
      const answered = Number.isInteger(status) && status >= 100;
      const start = Number(tags.sent);
      const end = Number(tags.ended);
      if (!Number.isFinite(start) || !Number.isFinite(end))
        return err(`${file}:${line}: the point has no sent/ended tags (ms since 1970).`);
      picked.push({
        host: tags.instance ?? "",
        start,
        end,
        rec: {
          t: "obs",
          ph: label.phase,
          r: label.round,
          c: label.caseName,
          k: request.kind,
          id: request.id,
          u: tags.user ?? "",
          ...answerOf(
            answered ? status : null,
            tags.code ?? null,
            answered ? null : /timeout/i.test(tags.error ?? "") ? "timeout" : "network",
          ),
          ...(answered ? {} : { d: tags.error ?? "no answer" }),
        },
      });
    }
  } catch (error) {
    return err(`Cannot read the k6 output ${file}: ${(error as Error).message}`);
  }
  const histories = byWriter(file, "k6", scenario, target, picked);
  return ok(incomplete === undefined ? histories : histories.map((h) => ({ ...h, incomplete })));
}
