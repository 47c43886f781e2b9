import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PassThrough } from 'stream';
import * as zlib from 'zlib';
import { loadConfig } from '../../../lib/config';
import { connectCopies, retentionTimeline } from '../../../lib/retention/timeline';
import { evaluateEnvironment } from '../../access/access-matrix';
import { synthesizeEnvironment } from '../../access/environment-templates';
import {
  chromiumPath,
  missingChromiumMessage,
  openOffline,
  OfflineVisit,
  withChromium,
} from '../../../scripts/evidence/browser';
import { EVIDENCE_SPEC, evidenceMain } from '../../../scripts/evidence/commands';
import { runCommand } from '../../../scripts/lib/cli';

/** Where the screenshot is kept for people to look at (git ignores it). */
const OUTPUT = path.join(__dirname, '..', '..', '..', 'test-output', 'evidence');

/** Distinct colours and the share of non-white pixels of an 8-bit RGB(A) PNG, decoded with zlib. */
function pngColours(file: string): { width: number; height: number; distinct: number; nonWhite: number } {
  const png = fs.readFileSync(file);
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0,
    height = 0,
    colourType = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8); // bit depth
      colourType = data[9];
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const channels = colourType === 6 ? 4 : colourType === 2 ? 3 : NaN;
  expect(channels).not.toBeNaN();
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x];
      const a = x >= channels ? pixels[y * stride + x - channels] : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const predictor = filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : filter === 4 ? paeth : 0;
      pixels[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  const colours = new Set<number>();
  let nonWhite = 0;
  for (let i = 0; i < pixels.length; i += channels) {
    const rgb = (pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2];
    colours.add(rgb);
    if (rgb !== 0xffffff) nonWhite++;
  }
  return { width, height, distinct: colours.size, nonWhite: nonWhite / (width * height) };
}

describe('the evidence page in headless Chromium', () => {
  let dir: string;
  let html: string;
  let exitCode: number;
  let visit: OfflineVisit;
  let dom: {
    rows: { source: string; cls: string; copy: string }[];
    accessRows: number;
    commit: string;
    title: string;
    nagPacks: number;
    traps: number;
  };
  const screenshot = path.join(OUTPUT, 'evidence-sample.png');

  beforeAll(async () => {
    if (!fs.existsSync(chromiumPath())) throw new Error(missingChromiumMessage());
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evidence-page-'));
    fs.mkdirSync(OUTPUT, { recursive: true });
    const out = new PassThrough();
    const err = new PassThrough();
    err.resume();
    exitCode = await runCommand(
      EVIDENCE_SPEC,
      (v, io) => evidenceMain(v, io, { timelineOf: retentionTimeline }),
      ['--env', 'sample', '--out', dir, '--pdf'],
      { stdout: out, stderr: err },
    );
    html = path.join(dir, 'evidence-sample.html');
    expect(String(out.read())).toBe(`${html}\n${path.join(dir, 'evidence-sample.pdf')}\n`);
    visit = await withChromium((browser) =>
      openOffline(browser, html, async (page) => {
        const rows = page.locator('svg.timeline g.timeline-row');
        const timelineRows: { source: string; cls: string; copy: string }[] = [];
        for (let i = 0; i < (await rows.count()); i++) {
          const row = rows.nth(i);
          timelineRows.push({
            source: (await row.getAttribute('data-source'))!,
            cls: (await row.getAttribute('data-class'))!,
            copy: (await row.getAttribute('data-copy'))!,
          });
        }
        dom = {
          rows: timelineRows,
          accessRows: await page.locator('table.access-matrix tbody tr').count(),
          commit: (await page.locator('#commit').textContent()) ?? '',
          title: await page.title(),
          nagPacks: await page.locator('table.nag-acks').count(),
          traps: await page.locator('table.traps tbody tr').count(),
        };
        // The first screen (header, settings, timeline): a full-page PNG is too large to decode quickly.
        await page.screenshot({ path: screenshot });
      }),
    );
  }, 300_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the command succeeds and writes the page and a PDF', () => {
    expect(exitCode).toBe(0);
    const pdf = fs.readFileSync(path.join(dir, 'evidence-sample.pdf'));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
  });

  test('opens with no network request and no console error', () => {
    expect(visit.blockedRequests).toEqual([]);
    expect(visit.consoleErrors).toEqual([]);
    const text = fs.readFileSync(html, 'utf8');
    expect(text).not.toMatch(/<script|<link|@import|url\(|src="http/i);
    expect(dom.title).toBe('Recording archive evidence: sample');
  });

  test('one timeline row per retention class and copy, as the timeline computes them', () => {
    const rows = retentionTimeline(loadConfig('sample'));
    expect(dom.rows).toEqual(rows.map((r) => ({ source: r.source, cls: r.retentionClass ?? '', copy: r.copy })));
    // Every class once per copy that holds Connect recordings (the sample: the archive's connect/ and Connect's bucket).
    const sample = loadConfig('sample');
    expect(connectCopies(sample)).toEqual(['archive', 'connect-bucket']);
    expect(dom.rows.filter((r) => r.source === 'connect' && r.cls !== '').map((r) => r.cls)).toEqual(
      connectCopies(sample).flatMap(() => Object.keys(sample.retention.classes)),
    );
  });

  test('the access matrix has as many rows as the simulation computes', async () => {
    const result = await evaluateEnvironment(synthesizeEnvironment('sample'));
    expect(result.outcomes.size).toBeGreaterThan(0);
    expect(dom.accessRows).toBe(result.outcomes.size);
  }, 180_000);

  test('nag acknowledgements per pack, every trap, and the commit', () => {
    expect(dom.nagPacks).toBe(4);
    expect(dom.traps).toBe(12);
    expect(dom.commit).toMatch(/^[0-9a-f]{40}/);
  });

  test('the offline check sees a request when a page makes one (so the empty list above means none)', async () => {
    const probe = path.join(dir, 'probe.html');
    fs.writeFileSync(probe, '<!DOCTYPE html><html><body><img src="http://192.0.2.1/x.png"></body></html>');
    const seen = await withChromium((browser) => openOffline(browser, probe, async () => undefined));
    expect(seen.blockedRequests).toEqual(['http://192.0.2.1/x.png']);
  }, 120_000);

  test('the screenshot is not blank', () => {
    const png = pngColours(screenshot);
    expect([png.width, png.height]).toEqual([1200, 900]);
    expect(png.distinct).toBeGreaterThan(50);
    expect(png.nonWhite).toBeGreaterThan(0.05);
  });
});
