/**
 * Vega-Lite specifications rendered to SVG in Node: compiled by vega-lite to Vega, then drawn by a
 * headless Vega view (no browser, no canvas: Vega's SVG string renderer estimates text widths).
 */
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/** The Vega-Lite schema the specifications are written against. */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/**
 * The SVG document of `spec`.
 * @throws Error from vega-lite or Vega for a specification they refuse (a bug in the caller: the specs are built here)
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  try {
    return `${await view.toSVG()}\n`;
  } finally {
    view.finalize();
  }
}
