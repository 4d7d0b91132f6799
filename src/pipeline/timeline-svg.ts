/**
 * The per-device timeline of an evaluated pipeline plan as a small standalone SVG (`remat pipeline
 * --plot`): one row per device, one box per forward (blue) or backward (orange) part, labelled with
 * its micro-batch when there is room, and a time axis in ms. O(P m).
 */
import type { ValidPipelineEvaluation } from "./types.js";

const WIDTH = 960;
const ROW = 28;
const LEFT = 80;
const TOP = 36;
const AXIS = 40;
const FORWARD = "#4c78a8";
const BACKWARD = "#f58518";

/** The SVG text of `evaluation`'s timeline, titled `title`. */
export function timelineSvg(evaluation: ValidPipelineEvaluation, title: string): string {
  const span = Math.max(evaluation.stepMs, Number.MIN_VALUE);
  const plotWidth = WIDTH - LEFT - 20;
  const x = (ms: number) => LEFT + (ms / span) * plotWidth;
  const height = TOP + evaluation.devices.length * ROW + AXIS;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    `<text x="${LEFT}" y="20" font-size="13">${escapeXml(title)}</text>`,
  ];
  for (const device of evaluation.devices) {
    const y = TOP + device.device * ROW;
    parts.push(`<text x="8" y="${y + ROW / 2 + 4}">device ${device.device}</text>`);
    for (const segment of device.timeline) {
      const x0 = x(segment.startMs);
      const w = Math.max(0.5, x(segment.endMs) - x0);
      const fill = segment.kind === "forward" ? FORWARD : BACKWARD;
      parts.push(
        `<rect x="${x0.toFixed(2)}" y="${y + 2}" width="${w.toFixed(2)}" height="${ROW - 4}" fill="${fill}" stroke="white" stroke-width="0.5"><title>${segment.kind} ${segment.microbatch}: ${segment.startMs.toFixed(3)}-${segment.endMs.toFixed(3)} ms, ${segment.inFlight} in flight, ${segment.peakBytes} bytes</title></rect>`,
      );
      if (w > 14)
        parts.push(
          `<text x="${(x0 + w / 2).toFixed(2)}" y="${y + ROW / 2 + 4}" text-anchor="middle" fill="white">${segment.microbatch}</text>`,
        );
    }
  }
  const axisY = TOP + evaluation.devices.length * ROW + 4;
  parts.push(`<line x1="${LEFT}" y1="${axisY}" x2="${LEFT + plotWidth}" y2="${axisY}" stroke="black"/>`);
  for (let i = 0; i <= 5; i++) {
    const ms = (span * i) / 5;
    parts.push(
      `<line x1="${x(ms).toFixed(2)}" y1="${axisY}" x2="${x(ms).toFixed(2)}" y2="${axisY + 4}" stroke="black"/>`,
    );
    parts.push(
      `<text x="${x(ms).toFixed(2)}" y="${axisY + 16}" text-anchor="middle">${ms.toFixed(1)}</text>`,
    );
  }
  parts.push(
    `<text x="${LEFT + plotWidth}" y="${axisY + 30}" text-anchor="end">ms (forward blue, backward orange)</text>`,
  );
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
