/** Small SVG chart builders for the HTML reports: no scripts, no external assets. */

import { escapeHtml } from "./escape.js";

export interface Frame {
  readonly width: number;
  readonly height: number;
  readonly xMax: number;
  readonly yMax: number;
  readonly xLabel: string;
  readonly yLabel: string;
}

const pad = { left: 56, right: 16, top: 12, bottom: 36 };

/** Round tick step for a range: 1, 2 or 5 × 10^k. */
function step(max: number, ticks: number): number {
  const raw = max / ticks;
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  const unit = [1, 2, 5, 10].find((m) => m * power >= raw) ?? 10;
  return unit * power;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 1 : 0));

/** An SVG with axes, ticks and labels; `body` draws with the scale functions it receives. */
export function chart(
  frame: Frame,
  body: (x: (v: number) => number, y: (v: number) => number) => string,
  title: string,
): string {
  const { width, height } = frame;
  const xMax = frame.xMax > 0 ? frame.xMax : 1;
  const yMax = frame.yMax > 0 ? frame.yMax : 1;
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const x = (v: number) => pad.left + (v / xMax) * plotW;
  const y = (v: number) => pad.top + plotH - (v / yMax) * plotH;
  const parts: string[] = [];
  const xs = step(xMax, 8);
  for (let v = 0; v <= xMax + 1e-9; v += xs) {
    parts.push(`<line x1="${x(v)}" y1="${pad.top}" x2="${x(v)}" y2="${pad.top + plotH}" class="grid"/>`);
    parts.push(`<text x="${x(v)}" y="${height - 20}" text-anchor="middle">${fmt(v)}</text>`);
  }
  const ys = step(yMax, 5);
  for (let v = 0; v <= yMax + 1e-9; v += ys) {
    parts.push(`<line x1="${pad.left}" y1="${y(v)}" x2="${pad.left + plotW}" y2="${y(v)}" class="grid"/>`);
    parts.push(`<text x="${pad.left - 6}" y="${y(v) + 4}" text-anchor="end">${fmt(v)}</text>`);
  }
  parts.push(
    `<line x1="${pad.left}" y1="${pad.top + plotH}" x2="${pad.left + plotW}" y2="${pad.top + plotH}" class="axis"/>`,
  );
  parts.push(`<line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${pad.top + plotH}" class="axis"/>`);
  parts.push(
    `<text x="${pad.left + plotW / 2}" y="${height - 4}" text-anchor="middle" class="label">${escapeHtml(frame.xLabel)}</text>`,
  );
  parts.push(
    `<text x="12" y="${pad.top + plotH / 2}" text-anchor="middle" class="label" transform="rotate(-90 12 ${pad.top + plotH / 2})">${escapeHtml(frame.yLabel)}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"><title>${escapeHtml(title)}</title>${parts.join("")}${body(x, y)}</svg>`;
}

/** A legend as HTML: colour swatch and name. */
export function legend(entries: readonly (readonly [string, string])[]): string {
  return `<div class="legend">${entries.map(([name, color]) => `<span><i style="background:${color}"></i>${escapeHtml(name)}</span>`).join("")}</div>`;
}
