/** What a `Prefer` header asks of the answer (RFC 7240, Prism's spelling); other preferences are ignored. */
export interface Preference {
  /** `code=409`: answer this declared status. */
  readonly status?: number;
  /** `example=OUT_OF_STOCK`: answer with this declared code. */
  readonly code?: string;
}

export type PreferParse =
  | { readonly ok: true; readonly value: Preference }
  | { readonly ok: false; readonly detail: string };

const unquote = (value: string) => (value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value);

/**
 * Reads `code` and `example` from a Prefer header: comma-separated preferences, each `token[=value]`
 * with optional `;parameters` (dropped). `code` must be a three-digit status.
 *
 * @example parsePrefer("code=409, example=OUT_OF_STOCK") // { ok: true, value: { status: 409, code: "OUT_OF_STOCK" } }
 */
export function parsePrefer(header: string): PreferParse {
  let status: number | undefined;
  let code: string | undefined;
  for (const part of header.split(",")) {
    const [preference = ""] = part.split(";");
    const eq = preference.indexOf("=");
    const name = (eq < 0 ? preference : preference.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? "" : unquote(preference.slice(eq + 1).trim());
    if (name === "code") {
      if (!/^[1-5][0-9]{2}$/.test(value)) {
        return {
          ok: false,
          detail: `Prefer: code must be an HTTP status such as code=503 (got ${JSON.stringify(value)}).`,
        };
      }
      status = Number(value);
    } else if (name === "example") {
      if (value === "") return { ok: false, detail: "Prefer: example needs a code, such as example=OUT_OF_STOCK." };
      code = value;
    }
  }
  return { ok: true, value: { ...(status === undefined ? {} : { status }), ...(code === undefined ? {} : { code }) } };
}

/** The Preference-Applied value for what was applied (RFC 7240 §3). */
export function preferenceApplied(preference: Preference): string {
  return [
    ...(preference.status === undefined ? [] : [`code=${preference.status}`]),
    ...(preference.code === undefined ? [] : [`example=${preference.code}`]),
  ].join(", ");
}
