import type { TimelineRow } from '../../lib/retention/timeline';

/** Escapes text for HTML and SVG content and attribute values. */
export function esc(text: string | number): string {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Colours of the storage classes and markers (also the legend). */
export const TIMELINE_COLOURS = {
  STANDARD: '#2b6cb0',
  STANDARD_IA: '#4299e1',
  GLACIER: '#81c7d4',
  DEEP_ARCHIVE: '#b2dfdb',
  noncurrent: '#cbd5e0',
  lock: '#c05621',
  deleteMarker: '#2d3748',
  bytesGone: '#c53030',
  native: '#6b46c1',
} as const;

const LABEL_WIDTH = 230;
const PLOT_WIDTH = 820;
const ROW_HEIGHT = 34;
const TOP = 30;

/** `Genesys exports · archive`, `Connect class short · connect-bucket`: what a row is about. */
export function rowLabel(row: TimelineRow): string {
  const who =
    row.source === 'genesys'
      ? 'Genesys exports'
      : row.untagged || !row.retentionClass
        ? 'Connect untagged'
        : `Connect class ${row.retentionClass}`;
  return `${who} · ${row.copy}`;
}

/**
 * The retention timeline as one inline SVG: a row per class (or Genesys exports) and copy with its
 * storage classes, the Object Lock span, the delete-marker day, the bytes-gone day and Genesys's
 * native deletion day. Transitions on or after the delete marker do not happen and are not drawn.
 */
export function timelineSvg(rows: readonly TimelineRow[]): string {
  const maxDay = Math.max(1, ...rows.flatMap((r) => [r.bytesGoneDay, r.nativeDeletionDay ?? 0, r.lockedUntilDay ?? 0]));
  const x = (day: number) => LABEL_WIDTH + (Math.min(day, maxDay) / maxDay) * PLOT_WIDTH;
  const height = TOP + rows.length * ROW_HEIGHT + 70;
  const width = LABEL_WIDTH + PLOT_WIDTH + 30;
  const parts: string[] = [];

  // Axis: a tick every year (every 30 days for windows under a year).
  const step = maxDay > 400 ? 365 : 30;
  for (let d = 0; d <= maxDay; d += step) {
    parts.push(
      `<line x1="${x(d)}" y1="${TOP - 6}" x2="${x(d)}" y2="${TOP + rows.length * ROW_HEIGHT}" stroke="#e2e8f0"/>`,
    );
    parts.push(`<text x="${x(d)}" y="${TOP - 10}" font-size="11" text-anchor="middle" fill="#4a5568">day ${d}</text>`);
  }

  rows.forEach((row, i) => {
    const y = TOP + i * ROW_HEIGHT;
    const barY = y + 12;
    const g: string[] = [];
    g.push(`<text x="4" y="${barY + 9}" font-size="12" fill="#1a202c">${esc(rowLabel(row))}</text>`);
    const starts: [keyof typeof TIMELINE_COLOURS, number][] = [['STANDARD', 0]];
    for (const [name, day] of [
      ['STANDARD_IA', row.standardIaDay],
      ['GLACIER', row.glacierDay],
      ['DEEP_ARCHIVE', row.deepArchiveDay],
    ] as const) {
      if (day !== undefined && day < row.deleteMarkerDay) starts.push([name, day]);
    }
    starts.forEach(([name, from], j) => {
      const to = j + 1 < starts.length ? starts[j + 1][1] : row.deleteMarkerDay;
      g.push(
        `<rect class="segment" x="${x(from)}" y="${barY}" width="${Math.max(1, x(to) - x(from))}" height="12" fill="${TIMELINE_COLOURS[name]}"><title>${esc(`${name} from day ${from} to day ${to}`)}</title></rect>`,
      );
    });
    if (row.bytesGoneDay > row.deleteMarkerDay) {
      g.push(
        `<rect class="segment" x="${x(row.deleteMarkerDay)}" y="${barY}" width="${Math.max(1, x(row.bytesGoneDay) - x(row.deleteMarkerDay))}" height="12" fill="${TIMELINE_COLOURS.noncurrent}"><title>${esc(`noncurrent version from day ${row.deleteMarkerDay} until its bytes are gone on day ${row.bytesGoneDay}`)}</title></rect>`,
      );
    }
    if (row.lockedUntilDay !== undefined) {
      g.push(
        `<rect class="lock" x="${x(0)}" y="${barY - 6}" width="${Math.max(1, x(row.lockedUntilDay) - x(0))}" height="4" fill="${TIMELINE_COLOURS.lock}"><title>${esc(`Object Lock ${row.lockMode ?? ''} until day ${row.lockedUntilDay}`)}</title></rect>`,
      );
    }
    const marker = (day: number, colour: string, shape: string, title: string) =>
      g.push(
        `<g class="marker" transform="translate(${x(day)},${barY + 6})"><title>${esc(title)}</title>${shape.replace(/COLOUR/g, colour)}</g>`,
      );
    marker(
      row.deleteMarkerDay,
      TIMELINE_COLOURS.deleteMarker,
      '<line x1="0" y1="-9" x2="0" y2="9" stroke="COLOUR" stroke-width="2"/>',
      `delete marker on day ${row.deleteMarkerDay}`,
    );
    marker(
      row.bytesGoneDay,
      TIMELINE_COLOURS.bytesGone,
      '<path d="M-5,-5 L5,5 M5,-5 L-5,5" stroke="COLOUR" stroke-width="2.5"/>',
      `bytes gone on day ${row.bytesGoneDay}`,
    );
    if (row.nativeDeletionDay !== undefined) {
      marker(
        row.nativeDeletionDay,
        TIMELINE_COLOURS.native,
        '<path d="M0,-7 L6,0 L0,7 L-6,0 Z" fill="COLOUR"/>',
        `Genesys deletes its native copy on day ${row.nativeDeletionDay}`,
      );
    }
    parts.push(
      `<g class="timeline-row" data-source="${esc(row.source)}" data-class="${esc(row.retentionClass ?? '')}" data-copy="${esc(row.copy)}">${g.join('')}</g>`,
    );
  });

  // Legend.
  const legendY = TOP + rows.length * ROW_HEIGHT + 22;
  const legend: [string, string][] = [
    ['STANDARD', TIMELINE_COLOURS.STANDARD],
    ['STANDARD_IA', TIMELINE_COLOURS.STANDARD_IA],
    ['GLACIER', TIMELINE_COLOURS.GLACIER],
    ['DEEP_ARCHIVE', TIMELINE_COLOURS.DEEP_ARCHIVE],
    ['noncurrent', TIMELINE_COLOURS.noncurrent],
    ['Object Lock', TIMELINE_COLOURS.lock],
    ['| delete marker', TIMELINE_COLOURS.deleteMarker],
    ['x bytes gone', TIMELINE_COLOURS.bytesGone],
    ['◆ Genesys native deletion', TIMELINE_COLOURS.native],
  ];
  legend.forEach(([name, colour], i) => {
    const lx = 4 + (i % 5) * 210;
    const ly = legendY + Math.floor(i / 5) * 20;
    parts.push(
      `<rect x="${lx}" y="${ly - 9}" width="14" height="10" fill="${colour}"/><text x="${lx + 20}" y="${ly}" font-size="11" fill="#1a202c">${esc(name)}</text>`,
    );
  });

  return `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" aria-label="Retention timeline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif"><rect width="100%" height="100%" fill="#ffffff"/>${parts.join('')}</svg>`;
}
