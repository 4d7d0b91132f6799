/**
 * Vega-Lite specifications rendered to SVG in Node: compiled by vega-lite to Vega, then drawn by a
 * headless Vega view (no browser, no canvas: Vega's SVG string renderer estimates text widths). The CLI
 * imports this module only when it draws, so other commands do not load Vega at startup.
 */
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

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
