/**
 * `remat report --format html`: one self-contained page (no network: Vega, Vega-Lite and vega-embed are
 * inlined, the data too). The summary and each instance's table sort by any column on a click on its
 * header; the plots are Vega-Lite views rendered as SVG in the page; a cell whose schedule the log kept
 * opens that schedule's memory timeline below the tables.
 */
import type { TopLevelSpec } from "vega-lite";
import { hasSchedule, type InstanceTable, type Report, type ReportCell } from "./model.js";
import { cellText, summaryRows } from "./text.js";

/** The libraries' browser builds (UMD: they set `vega`, `vegaLite`, `vegaEmbed`), as text. */
export interface PageLibraries {
  readonly vega: string;
  readonly vegaLite: string;
  readonly vegaEmbed: string;
}

/** What the page shows besides the report's tables. */
export interface PageContent {
  /** The log's path, for the title. */
  readonly source: string;
  /** Named plots (front, sweep), each a Vega-Lite spec. */
  readonly plots: readonly { readonly id: string; readonly title: string; readonly spec: TopLevelSpec }[];
  /** Timelines by log line (1-based), each a Vega-Lite spec. */
  readonly timelines: ReadonlyMap<number, TopLevelSpec>;
  /** Notes shown under the title (e.g. timelines left out). */
  readonly notes: readonly string[];
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Script text safe inside a <script> element (a `</script` in it would end the element). */
const inlineScript = (code: string) => code.replace(/<\/(script)/gi, "<\\/$1");

/** JSON safe inside a <script> element. */
const inlineJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");

/** A cell's sort key: its makespan when it has a schedule, else +Infinity after every number. */
function sortKey(cell: ReportCell | undefined): string {
  return cell !== undefined && hasSchedule(cell) ? String(cell.makespanMs) : "Infinity";
}

function cellHtml(cell: ReportCell | undefined, timelines: ReadonlyMap<number, TopLevelSpec>): string {
  if (cell === undefined) return '<td data-sort="Infinity"></td>';
  const text = escapeHtml(cellText(cell));
  const classes = [cell.best ? "best" : "", `status-${cell.status}`].filter((name) => name !== "").join(" ");
  const title = cell.reason === null ? "" : ` title="${escapeHtml(cell.reason)}"`;
  const body = timelines.has(cell.line)
    ? `<button type="button" class="timeline-link" data-line="${cell.line}">${text}</button>`
    : text;
  return `<td class="${classes}" data-sort="${sortKey(cell)}"${title}>${body}</td>`;
}

function instanceHtml(
  table: InstanceTable,
  index: number,
  timelines: ReadonlyMap<number, TopLevelSpec>,
): string {
  const header = ["budget", ...table.solvers].map((name) => `<th>${escapeHtml(name)}</th>`).join("");
  const rows = table.rows.map((row) => {
    const budgetKey = row.budgetBytes === null ? Number.parseFloat(row.budget) : row.budgetBytes;
    const cells = table.solvers.map((solver) => cellHtml(row.cells.get(solver), timelines)).join("");
    return `<tr><td data-sort="${budgetKey}">${escapeHtml(row.budget)}</td>${cells}</tr>`;
  });
  const rejected =
    table.rejectedBy.length === 0
      ? ""
      : `<p class="note">Not applicable (rejected): ${escapeHtml(table.rejectedBy.join(", "))}.</p>`;
  const heading = table.name === table.file ? table.name : `${table.name} (${table.file})`;
  return `<section class="instance" id="instance-${index}"><h3>${escapeHtml(heading)}</h3>
<table class="sortable"><thead><tr>${header}</tr></thead><tbody>
${rows.join("\n")}
</tbody></table>${rejected}</section>`;
}

function summaryHtml(report: Report): string {
  const { header, rows } = summaryRows(report);
  const head = header.map((name) => `<th>${escapeHtml(name)}</th>`).join("");
  const body = rows.map((row, index) => {
    const ratio = report.summary[index]?.ratio;
    const cells = row.map((value, column) => {
      const key = column === row.length - 1 ? String(ratio ?? "Infinity") : value;
      return `<td data-sort="${escapeHtml(key)}">${escapeHtml(value)}</td>`;
    });
    return `<tr>${cells.join("")}</tr>`;
  });
  return `<table class="sortable" id="summary"><thead><tr>${head}</tr></thead><tbody>\n${body.join("\n")}\n</tbody></table>`;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th{background:#f3f3f3;cursor:pointer;user-select:none}th[aria-sort=ascending]::after{content:" \\25B2"}
th[aria-sort=descending]::after{content:" \\25BC"}td:first-child,th:first-child{text-align:left}
td.best{font-weight:bold;background:#e8f5e9}td.status-rejected,td.status-error{color:#999}
.note{color:#555;font-size:.9em}button.timeline-link{font:inherit;border:0;background:none;color:#1a5fb4;
text-decoration:underline;cursor:pointer;padding:0}#timeline[hidden]{display:none}.plot{margin:1em 0}`;

/** The page's own script: sortable tables, the plots, and the timeline opened from a cell. */
const APP = `(function () {
  var data = JSON.parse(document.getElementById("remat-data").textContent);
  var options = { renderer: "svg", actions: false };
  function fail(error) { var p = document.createElement("p"); p.className = "error"; p.textContent = String(error); document.body.appendChild(p); throw error; }
  data.plots.forEach(function (plot) { vegaEmbed("#" + plot.id, plot.spec, options).catch(fail); });
  function keyOf(cell) { var k = cell.getAttribute("data-sort"); var n = Number(k); return isNaN(n) ? k : n; }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("th").forEach(function (th, column) {
      th.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("th").forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = keyOf(a.cells[column]), y = keyOf(b.cells[column]);
          var order = x < y ? -1 : x > y ? 1 : 0;
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
  var panel = document.getElementById("timeline");
  document.querySelectorAll("button.timeline-link").forEach(function (button) {
    button.addEventListener("click", function () {
      var spec = data.timelines[button.getAttribute("data-line")];
      panel.hidden = false;
      vegaEmbed("#timeline-view", spec, options).then(function () {
        panel.setAttribute("data-line", button.getAttribute("data-line"));
        panel.scrollIntoView();
      }).catch(fail);
    });
  });
})();`;

/** The whole page. */
export function reportHtml(report: Report, content: PageContent, libraries: PageLibraries): string {
  const data = {
    plots: content.plots.map((plot) => ({ id: plot.id, spec: plot.spec })),
    timelines: Object.fromEntries(content.timelines),
  };
  const plots = content.plots
    .map((plot) => `<h3>${escapeHtml(plot.title)}</h3><div class="plot" id="${plot.id}"></div>`)
    .join("\n");
  const notes = content.notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`).join("\n");
  const hint =
    content.timelines.size > 0
      ? '<p class="note">Click an underlined cell for its schedule\'s memory timeline.</p>'
      : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>remat report: ${escapeHtml(content.source)}</title>
<style>${STYLE}</style></head>
<body>
<h1>remat report</h1>
<p class="note">${escapeHtml(content.source)}: ${report.instances.length} instances, ${report.solvers.length} solvers. Cells: time overhead over store-all, status, certified gap where a bound was recorded; the best per row highlighted. Click a column header to sort.</p>
${notes}
<h2>Summary</h2>
<p class="note">Wins: rows where the solver has the least makespan (ties count for each). Last column: geometric mean over the rows both solved of the solver's makespan over ${escapeHtml(report.reference)}'s.</p>
${summaryHtml(report)}
<h2>Plots</h2>
${plots}
<h2>Instances</h2>
${hint}
${report.instances.map((table, index) => instanceHtml(table, index, content.timelines)).join("\n")}
<section id="timeline" hidden><h2>Memory timeline</h2><div id="timeline-view"></div></section>
<script>${inlineScript(libraries.vega)}</script>
<script>${inlineScript(libraries.vegaLite)}</script>
<script>${inlineScript(libraries.vegaEmbed)}</script>
<script type="application/json" id="remat-data">${inlineJson(data)}</script>
<script>${inlineScript(APP)}</script>
</body></html>
`;
}
