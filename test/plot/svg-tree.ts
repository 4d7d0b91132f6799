/**
 * A small parser for the SVG that Vega writes (well-formed XML without comments, CDATA or doctype), so
 * tests can look for elements by their text and aria labels rather than match the text of the file.
 */

/** One element: its tag, attributes, child elements and the text directly inside it. */
export interface SvgElement {
  readonly tag: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: SvgElement[];
  text: string;
}

const decode = (text: string) =>
  text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&");

/** The root element of `svg`. @throws Error when tags do not nest (the file is not well-formed) */
export function parseSvg(svg: string): SvgElement {
  const root: SvgElement = { tag: "#document", attributes: {}, children: [], text: "" };
  const stack: SvgElement[] = [root];
  const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*(\/?)>|([^<]+)/g;
  for (const match of svg.matchAll(token)) {
    const [, closing, tag, rawAttributes, selfClosing, text] = match;
    const top = stack[stack.length - 1] as SvgElement;
    if (text !== undefined) {
      top.text += decode(text);
      continue;
    }
    if (closing === "/") {
      if (top.tag !== tag) throw new Error(`parseSvg: </${tag}> closes <${top.tag}>`);
      stack.pop();
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const [, name, value] of (rawAttributes ?? "").matchAll(/([\w:.-]+)="([^"]*)"/g))
      attributes[name as string] = decode(value as string);
    const element: SvgElement = { tag: tag as string, attributes, children: [], text: "" };
    top.children.push(element);
    if (selfClosing !== "/") stack.push(element);
  }
  if (stack.length !== 1) throw new Error(`parseSvg: <${stack[stack.length - 1]?.tag}> is never closed`);
  const svgRoot = root.children[0];
  if (svgRoot === undefined || svgRoot.tag !== "svg")
    throw new Error("parseSvg: the document is not an <svg>");
  return svgRoot;
}

/** Every element below `root` (itself included), depth first, without recursion. */
export function allElements(root: SvgElement): SvgElement[] {
  const out: SvgElement[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const element = stack.pop() as SvgElement;
    out.push(element);
    for (let i = element.children.length - 1; i >= 0; i--) stack.push(element.children[i] as SvgElement);
  }
  return out;
}

/** The trimmed texts of every <text> element. */
export const texts = (root: SvgElement) =>
  allElements(root)
    .filter((element) => element.tag === "text")
    .map((element) => element.text.trim());

/** The aria labels of every element with the given aria role description (`axis`, `line mark`, ...). */
export const ariaLabels = (root: SvgElement, role: string) =>
  allElements(root)
    .filter((element) => element.attributes["aria-roledescription"] === role)
    .map((element) => element.attributes["aria-label"] ?? "");
