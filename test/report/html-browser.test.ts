/**
 * `remat report --format html` in a real headless browser (Debian's chromium, driven by playwright-core):
 * the page loads from a file without a console error or a request to the network, the plots render (the
 * DOM holds a point per solved cell, a screenshot of the plot is not blank), the tables sort on a click on
 * a header, and a click on a cell opens that schedule's memory timeline (one bar per instruction).
 * In the slow project (vitest.config.ts): the browser takes seconds to start.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, tempFolder } from "../cli/run.js";

const CHROMIUM = "/usr/bin/chromium";
/** The flags known to work on this kind of machine (no sandbox as root; no background connections). */
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const folder = tempFolder("remat-html-");
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];
const outsideRequests: string[] = [];
let log: string;
let html: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does`,
    );
  log = join(folder, "results.jsonl");
  const batch = await cli(
    ...["batch", "--instances", "instances/examples", "--budgets", "100%,90%", "--solvers"],
    ...["store-all,recompute-all,chen-greedy,chain-dp", "--out", log, "--with-schedules", "--quiet"],
  );
  expect(batch.code, batch.err).toBe(0);
  html = join(folder, "report.html");
  const report = await cli("report", log, "--format", "html", "--out", html, "--reference", "store-all");
  expect(report.code, report.err).toBe(0);
  context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "remat-chromium-")), {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
  });
  page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(String(error)));
  page.on("request", (request) => {
    if (!/^(file|data|blob|about):/.test(request.url())) outsideRequests.push(request.url());
  });
  await page.goto(pathToFileURL(html).href);
  await page.waitForSelector("#plot-front svg", { timeout: 30_000 });
  await page.waitForSelector("#plot-sweep svg", { timeout: 30_000 });
}, 120_000);

afterAll(async () => {
  await context?.close();
});

/** The lines of the log with a schedule within the budget. */
function solvedLines(): Record<string, unknown>[] {
  return readFileSync(log, "utf8")
    .trim()
    .split("\n")
    .map((text) => JSON.parse(text) as Record<string, unknown>)
    .filter((line) => typeof line.makespanMs === "number");
}

/**
 * Counts the pixels of a PNG (base64) that are not near white, run in the browser on a canvas (as text:
 * the tests are type-checked without the DOM's types).
 */
const COUNT_INK = `async (base64) => {
  const image = new Image();
  image.src = "data:image/png;base64," + base64;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height;
  const drawing = canvas.getContext("2d");
  drawing.drawImage(image, 0, 0);
  const pixels = drawing.getImageData(0, 0, image.width, image.height).data;
  let inked = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 200 || pixels[i + 1] < 200 || pixels[i + 2] < 200) inked++;
  return { inked, total: image.width * image.height };
}`;

/** How many pixels of a PNG screenshot are not (near) white, counted by the browser. */
async function inkedPixels(png: Buffer): Promise<{ inked: number; total: number }> {
  const blank = await context.newPage();
  try {
    return (await blank.evaluate(`(${COUNT_INK})(${JSON.stringify(png.toString("base64"))})`)) as {
      inked: number;
      total: number;
    };
  } finally {
    await blank.close();
  }
}

describe("the HTML report in headless chromium", () => {
  it("loads from one file without console errors or requests to the network", () => {
    expect(consoleErrors).toEqual([]);
    expect(outsideRequests).toEqual([]);
  });

  it("renders a point per solved cell in the front plot, with its axes", async () => {
    const points = await page.locator('#plot-front [aria-roledescription="point"]').count();
    expect(points).toBe(solvedLines().length);
    const axes = await page
      .locator('#plot-front [aria-roledescription="axis"]')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute("aria-label") ?? ""));
    expect(axes.some((label) => label.startsWith("Y-axis titled 'time overhead (%, symlog scale)'"))).toBe(
      true,
    );
  });

  it("draws the plot on screen: a screenshot of it is not blank", async () => {
    const png = await page.locator("#plot-front").screenshot();
    const { inked, total } = await inkedPixels(png);
    expect(total).toBeGreaterThan(10_000);
    expect(inked / total).toBeGreaterThan(0.01);
  });

  it("sorts a table by a column on a click on its header, both ways", async () => {
    const table = page.locator("#instance-0 table");
    const budgets = () => table.locator("tbody tr td:first-child").allTextContents();
    expect(await budgets()).toEqual(["90%", "100%"]);
    await table.locator("th", { hasText: "budget" }).click();
    expect(await budgets()).toEqual(["90%", "100%"]);
    await table.locator("th", { hasText: "budget" }).click();
    expect(await budgets()).toEqual(["100%", "90%"]);
    expect(await table.locator("th", { hasText: "budget" }).getAttribute("aria-sort")).toBe("descending");
  });

  it("opens a schedule's memory timeline on a click on its cell: one bar per instruction", async () => {
    expect(await page.locator("#timeline").isHidden()).toBe(true);
    const link = page.locator("button.timeline-link").first();
    const line = Number(await link.getAttribute("data-line"));
    await link.click();
    await page.waitForSelector('#timeline[data-line] #timeline-view svg [aria-roledescription="rect mark"]');
    expect(await page.locator("#timeline").isVisible()).toBe(true);
    const record = JSON.parse(readFileSync(log, "utf8").split("\n")[line - 1] as string);
    const bars = await page.locator('#timeline-view [aria-roledescription="rect mark"]').count();
    expect(bars).toBe(record.schedule.length);
    const title = await page
      .locator("#timeline-view [aria-roledescription='title']")
      .getAttribute("aria-label");
    expect(title).toContain(record.instance);
    expect(consoleErrors).toEqual([]);
  });
});
