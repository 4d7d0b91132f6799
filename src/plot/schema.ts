/** The Vega-Lite schema the specifications of src/plot/ are written against (Vega-Lite 6). */
export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
