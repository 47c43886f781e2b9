import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { BrowserContext, chromium, Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); CHROMIUM_PATH overrides it. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

/** Why a browser is missing and how to get one. */
export function missingChromiumMessage(executable = chromiumPath()): string {
  return `Chromium is not installed at ${executable}; install it with apt-get install chromium (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary.`;
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Runs `use` with a headless Chromium on a fresh profile (playwright passes it as --user-data-dir),
 * offline, removed afterwards.
 */
export async function withChromium<T>(use: (browser: BrowserContext) => Promise<T>): Promise<T> {
  const executable = chromiumPath();
  if (!fs.existsSync(executable)) throw new Error(missingChromiumMessage(executable));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: executable,
      args: FLAGS,
      headless: true,
      offline: true,
      viewport: { width: 1200, height: 900 },
    });
    try {
      return await use(context);
    } finally {
      await context.close();
    }
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** What opening the page offline observed. */
export interface OfflineVisit {
  /** Requests other than the file itself (each was refused). */
  readonly blockedRequests: readonly string[];
  readonly consoleErrors: readonly string[];
}

/** Opens an HTML file with every other request refused, and records refused requests and console errors. */
export async function openOffline(
  context: BrowserContext,
  file: string,
  use: (page: Page, visit: OfflineVisit) => Promise<void>,
): Promise<OfflineVisit> {
  const url = pathToFileURL(file).href;
  const visit = { blockedRequests: [] as string[], consoleErrors: [] as string[] };
  const page = await context.newPage();
  try {
    await page.route('**/*', async (route) => {
      if (route.request().url() === url) return route.continue();
      visit.blockedRequests.push(route.request().url());
      return route.abort();
    });
    page.on('console', (m) => {
      if (m.type() === 'error') visit.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => visit.consoleErrors.push(e.message));
    await page.goto(url, { waitUntil: 'load' });
    await use(page, visit);
  } finally {
    await page.close();
  }
  return visit;
}

/** Writes a PDF of the page (A4, backgrounds printed). */
export async function writePdf(browser: BrowserContext, htmlFile: string, pdfFile: string): Promise<void> {
  await openOffline(browser, htmlFile, async (page) => {
    await page.emulateMedia({ media: 'print' });
    await page.pdf({
      path: pdfFile,
      format: 'A4',
      printBackground: true,
      margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' },
    });
  });
}

/** Writes a PNG of the page's timeline picture. */
export async function writeTimelinePng(browser: BrowserContext, htmlFile: string, pngFile: string): Promise<void> {
  await openOffline(browser, htmlFile, async (page) => {
    await page.locator('svg.timeline').screenshot({ path: pngFile });
  });
}
