/** Small SVG chart builders for the HTML reports: no scripts, no external assets. */

import { escapeHtml } from "./escape.js";

export interface Frame {
  readonly width: number;
  readonly height: number;
  readonly xMax: number;
  readonly yMax: number;
  /** The bottom of the y axis; default 0 (below 0: stock a server oversold). */
  readonly yMin?: number;
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

/** A tick's label with as many decimals as its step needs (0.05 steps: 0.05, 0.10, 0.15, not 0.1, 0.1, 0.2). */
const fmt = (n: number, step: number) => {
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)));
  const rounded = Number(n.toFixed(decimals));
  return Object.is(rounded, -0) ? "0" : rounded.toFixed(decimals);
};

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
  const ys = step(yMax - Math.min(0, frame.yMin ?? 0), 5);
  // The bottom on a tick below yMin, so a negative range starts at a round number.
  const yMin = Math.min(0, Math.floor((frame.yMin ?? 0) / ys) * ys);
  const x = (v: number) => pad.left + (v / xMax) * plotW;
  const y = (v: number) => pad.top + plotH - ((v - yMin) / (yMax - yMin)) * plotH;
  const parts: string[] = [];
  // Below zero is where nothing may be: shaded, with the zero line drawn as an axis.
  if (yMin < 0) {
    parts.push(
      `<rect x="${pad.left}" y="${y(0)}" width="${plotW}" height="${y(yMin) - y(0)}" fill="#ffebee" class="below-zero"/>`,
    );
  }
  const xs = step(xMax, 8);
  for (let v = 0; v <= xMax + 1e-9; v += xs) {
    parts.push(`<line x1="${x(v)}" y1="${pad.top}" x2="${x(v)}" y2="${pad.top + plotH}" class="grid"/>`);
    parts.push(`<text x="${x(v)}" y="${height - 20}" text-anchor="middle">${fmt(v, xs)}</text>`);
  }
  for (let v = yMin; v <= yMax + 1e-9; v += ys) {
    parts.push(`<line x1="${pad.left}" y1="${y(v)}" x2="${pad.left + plotW}" y2="${y(v)}" class="grid"/>`);
    parts.push(`<text x="${pad.left - 6}" y="${y(v) + 4}" text-anchor="end">${fmt(v, ys)}</text>`);
  }
  parts.push(
    `<line x1="${pad.left}" y1="${pad.top + plotH}" x2="${pad.left + plotW}" y2="${pad.top + plotH}" class="axis"/>`,
  );
  parts.push(`<line x1="${pad.left}" y1="${pad.top}" x2="${pad.left}" y2="${pad.top + plotH}" class="axis"/>`);
  if (yMin < 0) parts.push(`<line x1="${pad.left}" y1="${y(0)}" x2="${pad.left + plotW}" y2="${y(0)}" class="axis"/>`);
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
