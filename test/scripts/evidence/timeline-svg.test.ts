import type { TimelineRow } from '../../../lib/retention/timeline';
import { esc, rowLabel, timelineSvg } from '../../../scripts/evidence/timeline-svg';

const genesys: TimelineRow = {
  source: 'genesys',
  copy: 'archive',
  bucket: 'archive bucket (us-east-1)',
  standardIaDay: 30,
  glacierDay: 90,
  deepArchiveDay: 180,
  lockedUntilDay: 730,
  lockMode: 'GOVERNANCE',
  deleteMarkerDay: 730,
  bytesGoneDay: 731,
  nativeDeletionDay: 730,
  notes: [],
};
const short: TimelineRow = {
  source: 'connect',
  retentionClass: 'short',
  copy: 'connect-bucket',
  bucket: 'connect',
  deleteMarkerDay: 30,
  bytesGoneDay: 31,
  notes: [],
};
const untagged: TimelineRow = {
  source: 'connect',
  untagged: true,
  copy: 'replica',
  bucket: 'replica',
  standardIaDay: 30,
  glacierDay: 90,
  deleteMarkerDay: 90,
  bytesGoneDay: 91,
  notes: [],
};

/** Every `<tag ...attr="v"...>` of the SVG as attribute maps (the renderer writes one element per tag, no nesting of quotes). */
function elements(svg: string, tag: string): Record<string, string>[] {
  return [...svg.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))].map((m) =>
    Object.fromEntries([...m[1].matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])),
  );
}

describe('timelineSvg', () => {
  const svg = timelineSvg([genesys, short, untagged]);

  test('one row group per timeline row, labelled by source, class and copy', () => {
    expect(elements(svg, 'g').filter((g) => g.class === 'timeline-row')).toEqual([
      { class: 'timeline-row', 'data-source': 'genesys', 'data-class': '', 'data-copy': 'archive' },
      { class: 'timeline-row', 'data-source': 'connect', 'data-class': 'short', 'data-copy': 'connect-bucket' },
      { class: 'timeline-row', 'data-source': 'connect', 'data-class': '', 'data-copy': 'replica' },
    ]);
    expect([genesys, short, untagged].map(rowLabel)).toEqual([
      'Genesys exports · archive',
      'Connect class short · connect-bucket',
      'Connect untagged · replica',
    ]);
  });

  test('storage-class segments end at the delete marker; the noncurrent day follows; a transition on the delete-marker day is not drawn', () => {
    const titles = [...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(titles).toEqual([
      'STANDARD from day 0 to day 30',
      'STANDARD_IA from day 30 to day 90',
      'GLACIER from day 90 to day 180',
      'DEEP_ARCHIVE from day 180 to day 730',
      'noncurrent version from day 730 until its bytes are gone on day 731',
      'Object Lock GOVERNANCE until day 730',
      'delete marker on day 730',
      'bytes gone on day 731',
      'Genesys deletes its native copy on day 730',
      'STANDARD from day 0 to day 30',
      'noncurrent version from day 30 until its bytes are gone on day 31',
      'delete marker on day 30',
      'bytes gone on day 31',
      // GLACIER on day 90 = the delete-marker day: never happens.
      'STANDARD from day 0 to day 30',
      'STANDARD_IA from day 30 to day 90',
      'noncurrent version from day 90 until its bytes are gone on day 91',
      'delete marker on day 90',
      'bytes gone on day 91',
    ]);
  });

  test('positions are proportional to days on one axis (the longest day reaches the right edge)', () => {
    const rects = elements(svg, 'rect').filter((r) => r.class === 'segment');
    // Label column 230 px, plot 820 px for 731 days.
    const x = (day: number) => 230 + (day / 731) * 820;
    expect(Number(rects[0].x)).toBeCloseTo(x(0), 6);
    expect(Number(rects[1].x)).toBeCloseTo(x(30), 6);
    expect(Number(rects[3].width)).toBeCloseTo(x(730) - x(180), 6);
    expect(Number(rects[4].x) + Number(rects[4].width)).toBeCloseTo(x(731), 6);
  });

  test('text is escaped', () => {
    expect(esc(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
    const odd = timelineSvg([{ ...short, retentionClass: '<b>' }]);
    expect(odd).toContain('Connect class &lt;b&gt; · connect-bucket');
    expect(odd).not.toContain('<b>');
  });
});
