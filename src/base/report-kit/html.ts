/**
 * @module
 * The page every HTML report shares: self-contained (inline CSS and SVG, no scripts), with its table cells.
 */

import { escapeHtml } from "./escape.js";

/** Page, headings, tables and charts: the rules every report page shares. */
export const pageStyle = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:960px;color:#222;padding:0 12px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f5f5f5}td.num{text-align:right;font-variant-numeric:tabular-nums}
svg{display:block;max-width:100%;height:auto;background:#fff}svg text{font-size:11px;fill:#444}svg .label{font-size:12px;fill:#222}
svg .grid{stroke:#eee}svg .axis{stroke:#888}.legend span{margin-right:14px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
.muted{color:#666}code{font-size:12px}`;

/** A self-contained HTML page: inline CSS and SVG, no scripts or external assets. `style` adds the report's own rules. */
export function htmlPage(page: { readonly title: string; readonly style?: string; readonly body: string }): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(page.title)}</title><style>${pageStyle}${page.style ?? ""}</style></head><body>${page.body}</body></html>\n`;
}

/** A table cell, escaped; numbers right-aligned. */
export const cell = (value: string | number, num = false) =>
  `<td${num ? ' class="num"' : ""}>${escapeHtml(String(value))}</td>`;
