/**
 * A small SVG line-chart writer (no dependencies): panels stacked vertically, each with axes, ticks,
 * labelled series and a legend. Used by `remat plot` for overhead-versus-memory fronts and memory
 * timelines.
 */

/** One series: points drawn as a polyline (`step` draws a staircase) with markers. */
export interface Series {
  readonly label: string;
  readonly points: readonly (readonly [number, number])[];
  readonly step?: boolean;
  readonly markers?: boolean;
}

/** One chart panel. */
export interface Panel {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  /** Start the x axis at 0 (default) rather than just below the smallest x. */
  readonly xFromZero?: boolean;
  /** Horizontal reference lines (e.g. the budget). */
  readonly hLines?: readonly { readonly y: number; readonly label: string }[];
}

const WIDTH = 760;
const PANEL_HEIGHT = 360;
const MARGIN = { left: 80, right: 190, top: 40, bottom: 50 };
const COLORS = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#ff7f0e",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Round tick values covering [min, max]. */
function ticks(min: number, max: number, count = 5): number[] {
  const span = max - min || Math.abs(max) || 1;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  const first = Math.ceil(min / step) * step;
  return Array.from({ length: Math.floor((max - first) / step) + 1 }, (_, i) => first + i * step);
}

function formatTick(value: number): string {
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${+(value / 1e9).toPrecision(3)}G`;
  if (abs >= 1e6) return `${+(value / 1e6).toPrecision(3)}M`;
  if (abs >= 1e4) return `${+(value / 1e3).toPrecision(3)}k`;
  return `${+value.toPrecision(3)}`;
}

/** Where a panel's plot area lies and how data coordinates map into it. */
interface Frame {
  /** The panel's top edge in the document, px. */
  readonly top: number;
  readonly plotWidth: number;
  readonly plotHeight: number;
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
  /** Data x to document x. */
  readonly sx: (x: number) => number;
  /** Data y to document y. */
  readonly sy: (y: number) => number;
}

/** The plot area of `panel` at `top`, its axes' ranges covering every point and reference line. */
function frameOf(panel: Panel, top: number): Frame {
  const all = panel.series.flatMap((series) => series.points);
  const ys = [...all.map(([, y]) => y), ...(panel.hLines ?? []).map((line) => line.y)];
  const xs = all.map(([x]) => x);
  const [lowX, highX] = [Math.min(...xs), Math.max(...xs)];
  const padX = (highX - lowX) * 0.05 || Math.abs(highX) * 0.05 || 1;
  const [xMin, xMax] =
    panel.xFromZero === false ? [lowX - padX, highX + padX] : [Math.min(lowX, 0), Math.max(highX, 1e-9)];
  const [yMin, yMax] = [Math.min(...ys, 0), Math.max(...ys, 1e-9) * 1.05];
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + ((x - xMin) / (xMax - xMin || 1)) * plotWidth;
  const sy = (y: number) => top + MARGIN.top + plotHeight - ((y - yMin) / (yMax - yMin || 1)) * plotHeight;
  return { top, plotWidth, plotHeight, xMin, xMax, yMin, yMax, sx, sy };
}

/** The SVG elements of one panel whose top edge is at `top` px. */
function renderPanel(panel: Panel, top: number): string {
  const frame = frameOf(panel, top);
  const parts = [...axesParts(panel, frame), ...hLineParts(panel, frame)];
  panel.series.forEach((series, index) => {
    parts.push(...seriesParts(series, index, frame));
  });
  return parts.join("\n");
}

/** The panel's title, plot box, ticks with their values, and axis labels. */
function axesParts(panel: Panel, frame: Frame): string[] {
  const { top, plotWidth, plotHeight, sx, sy } = frame;
  const parts: string[] = [
    `<text x="${WIDTH / 2}" y="${top + 24}" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(panel.title)}</text>`,
    `<rect x="${MARGIN.left}" y="${top + MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#444"/>`,
  ];
  for (const x of ticks(frame.xMin, frame.xMax)) {
    parts.push(
      `<line x1="${sx(x)}" y1="${top + MARGIN.top + plotHeight}" x2="${sx(x)}" y2="${top + MARGIN.top + plotHeight + 5}" stroke="#444"/>`,
    );
    parts.push(
      `<text x="${sx(x)}" y="${top + MARGIN.top + plotHeight + 18}" text-anchor="middle" font-size="11">${formatTick(x)}</text>`,
    );
  }
  for (const y of ticks(frame.yMin, frame.yMax)) {
    parts.push(
      `<line x1="${MARGIN.left}" y1="${sy(y)}" x2="${MARGIN.left + plotWidth}" y2="${sy(y)}" stroke="#ddd"/>`,
    );
    parts.push(
      `<text x="${MARGIN.left - 6}" y="${sy(y) + 4}" text-anchor="end" font-size="11">${formatTick(y)}</text>`,
    );
  }
  parts.push(
    `<text x="${MARGIN.left + plotWidth / 2}" y="${top + PANEL_HEIGHT - 10}" text-anchor="middle" font-size="12">${escapeXml(panel.xLabel)}</text>`,
  );
  parts.push(
    `<text x="18" y="${top + MARGIN.top + plotHeight / 2}" text-anchor="middle" font-size="12" transform="rotate(-90 18 ${top + MARGIN.top + plotHeight / 2})">${escapeXml(panel.yLabel)}</text>`,
  );
  return parts;
}

/** The panel's dashed horizontal reference lines, each labelled at its right end. */
function hLineParts(panel: Panel, frame: Frame): string[] {
  const { plotWidth, sy } = frame;
  const parts: string[] = [];
  for (const line of panel.hLines ?? []) {
    parts.push(
      `<line x1="${MARGIN.left}" y1="${sy(line.y)}" x2="${MARGIN.left + plotWidth}" y2="${sy(line.y)}" stroke="#000" stroke-dasharray="6 4"/>`,
    );
    parts.push(
      `<text x="${MARGIN.left + plotWidth - 4}" y="${sy(line.y) - 4}" text-anchor="end" font-size="11">${escapeXml(line.label)}</text>`,
    );
  }
  return parts;
}

/** The `index`th series: its polyline (or staircase), its markers, and its legend entry. */
function seriesParts(series: Series, index: number, frame: Frame): string[] {
  const { top, sx, sy } = frame;
  const parts: string[] = [];
  const color = COLORS[index % COLORS.length] as string;
  const points = [...series.points].sort((a, b) => a[0] - b[0] || 0);
  const path = (series.step ? series.points : points).flatMap(([x, y], k, list) => {
    const previous = list[k - 1];
    return series.step && previous !== undefined
      ? [`${sx(x)},${sy(previous[1])}`, `${sx(x)},${sy(y)}`]
      : [`${sx(x)},${sy(y)}`];
  });
  parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.8" points="${path.join(" ")}"/>`);
  if (series.markers ?? !series.step)
    for (const [x, y] of points) parts.push(`<circle cx="${sx(x)}" cy="${sy(y)}" r="3" fill="${color}"/>`);
  const legendY = top + MARGIN.top + 14 + index * 18;
  parts.push(
    `<line x1="${WIDTH - MARGIN.right + 14}" y1="${legendY - 4}" x2="${WIDTH - MARGIN.right + 34}" y2="${legendY - 4}" stroke="${color}" stroke-width="3"/>`,
  );
  parts.push(
    `<text x="${WIDTH - MARGIN.right + 40}" y="${legendY}" font-size="12">${escapeXml(series.label)}</text>`,
  );
  return parts;
}

/** The SVG document of `panels`, stacked vertically. */
export function renderSvg(panels: readonly Panel[]): string {
  const height = PANEL_HEIGHT * Math.max(1, panels.length);
  const body = panels.map((panel, index) => renderPanel(panel, index * PANEL_HEIGHT)).join("\n");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${body}\n</svg>\n`;
}

/** A unit for a byte axis whose largest value is `maxBytes`: `{ divisor, name }` (B, KB, MB, GB). */
export function byteUnit(maxBytes: number): { readonly divisor: number; readonly name: string } {
  const units = [
    { divisor: 1e9, name: "GB" },
    { divisor: 1e6, name: "MB" },
    { divisor: 1e3, name: "KB" },
  ];
  return units.find((unit) => maxBytes >= unit.divisor) ?? { divisor: 1, name: "bytes" };
}
