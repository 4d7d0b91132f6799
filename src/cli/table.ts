/**
 * Plain-text output for the CLI, at most {@link TEXT_WIDTH} columns: tables (left-aligned text,
 * right-aligned numbers; long text cells wrapped onto continuation lines within their column) and
 * wrapped paragraphs.
 */

/** The widest line the CLI prints in tables and paragraphs, characters (a common terminal width). */
export const TEXT_WIDTH = 100;

/** The narrowest a text column is squeezed to before the table is allowed past the width. */
const MIN_COLUMN_WIDTH = 8;

/** Columns are separated by this. */
const GAP = "  ";

/**
 * Splits `text` into lines of at most `width` characters, breaking at spaces, or inside a word longer
 * than the width. Existing line breaks are kept.
 */
export function wrapText(text: string, maxWidth = TEXT_WIDTH): string[] {
  const width = Math.max(1, maxWidth);
  return text
    .split("\n")
    .flatMap((paragraph) => wrapParagraph(paragraph, width))
    .map((line) => line.trimEnd());
}

/** The lines of one paragraph (no line breaks) at most `width` characters wide, before trimming. */
function wrapParagraph(paragraph: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (let word of paragraph.split(" ")) {
    while (word.length > width) {
      if (line !== "") lines.push(line);
      lines.push(word.slice(0, width));
      word = word.slice(width);
      line = "";
    }
    if (line === "") line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  return lines;
}

/** Column widths: natural widths, the widest text columns narrowed until the table fits `maxWidth`. */
function columnWidths(
  cells: readonly (readonly string[])[],
  columns: number,
  numeric: readonly boolean[],
  maxWidth: number,
): number[] {
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(0, ...cells.map((row) => (row[column] ?? "").length)),
  );
  const total = () => widths.reduce((sum, width) => sum + width, 0) + GAP.length * (columns - 1);
  while (total() > maxWidth) {
    let widest = -1;
    for (let column = 0; column < columns; column++) {
      const width = widths[column] ?? 0;
      if (!numeric[column] && width > MIN_COLUMN_WIDTH && (widest < 0 || width > (widths[widest] ?? 0)))
        widest = column;
    }
    if (widest < 0) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
  }
  return widths;
}

/**
 * Renders rows under a header, columns separated by two spaces, at most `maxWidth` characters wide
 * (unless even the narrowest text columns cannot fit): text cells too long for their column continue
 * on the next lines, within the column.
 */
export function renderTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  maxWidth = TEXT_WIDTH,
): string {
  const numeric = header.map(
    (_, column) =>
      rows.length > 0 && rows.every((row) => /^[-+]?[0-9.,]+( ?[%a-zA-Z]+)?$|^-$/.test(row[column] ?? "")),
  );
  const widths = columnWidths([header, ...rows], header.length, numeric, maxWidth);
  const lines = (cells: readonly string[]): string[] => {
    const wrapped = header.map((_, column) => wrapText(cells[column] ?? "", widths[column] ?? 0));
    const height = Math.max(...wrapped.map((parts) => parts.length));
    return Array.from({ length: height }, (_, index) =>
      wrapped
        .map((parts, column) => {
          const part = parts[index] ?? "";
          return numeric[column] ? part.padStart(widths[column] ?? 0) : part.padEnd(widths[column] ?? 0);
        })
        .join(GAP)
        .trimEnd(),
    );
  };
  return [...lines(header), widths.map((width) => "-".repeat(width)).join(GAP), ...rows.flatMap(lines)].join(
    "\n",
  );
}
