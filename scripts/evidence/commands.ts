import * as fs from 'fs';
import * as path from 'path';
import { ArchiveConfig, loadConfig } from '../../lib/config';
import { costProjection, CostProjection, usd } from '../../lib/cost/projection';
import type { TimelineRow } from '../../lib/retention/timeline';
import { CliError, CliIo, CommandSpec, OptionValues, progress, UsageError } from '../lib/cli';
import { withChromium, writePdf, writeTimelinePng } from './browser';
import { collectEvidence } from './collect';
import { renderEvidencePage } from './render';

/** What the commands need from the rest of the app (the timeline is helper code of lib/retention). */
export interface EvidenceDeps {
  readonly timelineOf: (config: ArchiveConfig) => readonly TimelineRow[];
  readonly now?: () => Date;
}

/** Example volume of the page's cost section when none is given. */
export const DEFAULT_COST_VOLUME = { recordingsPerDay: 5000, averageMb: 4 } as const;

const COST_OPTIONS = {
  'recordings-per-day': { type: 'string', placeholder: 'N', description: 'recordings written per day (all sources)' },
  'average-mb': { type: 'string', placeholder: 'M', description: 'average size of one recording in MB' },
  share: {
    type: 'string',
    multiple: true,
    placeholder: 'NAME=FRACTION',
    description:
      'fraction of the recordings of genesys, a Connect class or untagged (default: an even split over genesys and the classes)',
  },
} as const;

export const EVIDENCE_SPEC: CommandSpec = {
  usage: 'npm run evidence -- --env NAME [--out DIR] [--pdf] [--timeline-png FILE]',
  summary:
    "Writes one self-contained HTML page of an environment's evidence for an audit (retention timeline, policies as synthesized, access matrix, cdk-nag, traps, CIDRs, cost).",
  options: {
    env: {
      type: 'string',
      required: true,
      placeholder: 'NAME',
      description: 'committed environment (lib/config/environments)',
    },
    out: { type: 'string', placeholder: 'DIR', description: 'folder of the page (default cdk.out/evidence)' },
    pdf: { type: 'boolean', description: 'also print the page to PDF with headless Chromium' },
    'timeline-png': {
      type: 'string',
      placeholder: 'FILE',
      description: "also write a PNG of the page's timeline picture",
    },
    ...COST_OPTIONS,
  },
  examples: [
    'npm run evidence -- --env prod --pdf',
    'npm run evidence -- --env sample --timeline-png docs/evidence-timeline.png',
  ],
};

export const COST_SPEC: CommandSpec = {
  usage:
    'npm run cost -- --env NAME --recordings-per-day N --average-mb M [--region R] [--share NAME=FRACTION ...] [--json]',
  summary:
    "Projects the steady-state monthly cost of an environment's archive from its retention timeline and the committed price table.",
  options: {
    env: {
      type: 'string',
      required: true,
      placeholder: 'NAME',
      description: 'committed environment (lib/config/environments)',
    },
    ...COST_OPTIONS,
    'recordings-per-day': { ...COST_OPTIONS['recordings-per-day'], required: true },
    'average-mb': { ...COST_OPTIONS['average-mb'], required: true },
    region: { type: 'string', placeholder: 'R', description: "price table region (default: the environment's region)" },
    json: { type: 'boolean', description: 'print the projection as JSON' },
  },
  examples: [
    'npm run cost -- --env prod --recordings-per-day 20000 --average-mb 3',
    'npm run cost -- --env sample --recordings-per-day 1000 --average-mb 0.5 --share short=0.8 --share long=0.2',
  ],
};

function positive(values: OptionValues, name: string, fallback?: number): number {
  const raw = values[name];
  if (raw === undefined && fallback !== undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(n) || n <= 0)
    throw new UsageError(`--${name} must be a number above 0 (got ${JSON.stringify(raw)}).`);
  return n;
}

function shares(values: OptionValues): Record<string, number> | undefined {
  const list = values.share as string[] | undefined;
  if (!list?.length) return undefined;
  return Object.fromEntries(
    list.map((s) => {
      const m = /^([^=]+)=([0-9.]+)$/.exec(s);
      if (!m) throw new UsageError(`--share ${s}: write NAME=FRACTION, e.g. --share genesys=0.6.`);
      return [m[1], Number(m[2])];
    }),
  );
}

function config(envName: string): ArchiveConfig {
  try {
    return loadConfig(envName);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}

/** A cost computation error (bad share, missing price table) is the user's to fix. */
function project(run: () => CostProjection): CostProjection {
  try {
    return run();
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}

/** `npm run evidence`: the page, and optionally its PDF and a PNG of its timeline. */
export async function evidenceMain(values: OptionValues, io: CliIo, deps: EvidenceDeps): Promise<number> {
  const envName = values.env as string;
  const cfg = config(envName);
  const recordingsPerDay = positive(values, 'recordings-per-day', DEFAULT_COST_VOLUME.recordingsPerDay);
  const averageMb = positive(values, 'average-mb', DEFAULT_COST_VOLUME.averageMb);
  const share = shares(values);
  // Fail on bad cost options before the slow synthesis.
  project(() =>
    costProjection({
      rows: deps.timelineOf(cfg),
      recordingsPerDay,
      averageMb,
      shares: share,
      region: cfg.region,
      replicaRegion: cfg.replication?.region,
    }),
  );

  const bar = progress('evidence', { stream: io.stderr });
  bar.log(`Synthesizing ${envName} and simulating its access matrix...`);
  const data = await collectEvidence(
    envName,
    deps.timelineOf,
    { recordingsPerDay, averageMb, shares: share },
    deps.now?.() ?? new Date(),
  );
  const out = path.resolve((values.out as string | undefined) ?? path.join('cdk.out', 'evidence'));
  fs.mkdirSync(out, { recursive: true });
  const html = path.join(out, `evidence-${envName}.html`);
  fs.writeFileSync(html, renderEvidencePage(data));
  io.stdout.write(`${html}\n`);

  const png = values['timeline-png'] as string | undefined;
  if (values.pdf || png) {
    try {
      await withChromium(async (browser) => {
        if (values.pdf) {
          const pdf = path.join(out, `evidence-${envName}.pdf`);
          await writePdf(browser, html, pdf);
          io.stdout.write(`${pdf}\n`);
        }
        if (png) {
          fs.mkdirSync(path.dirname(path.resolve(png)), { recursive: true });
          await writeTimelinePng(browser, html, path.resolve(png));
          io.stdout.write(`${path.resolve(png)}\n`);
        }
      });
    } catch (error) {
      throw new CliError(`The page is written, but ${(error as Error).message.split('\n')[0]}`);
    }
  }
  const mismatches = data.access.filter((a) => !a.asExpected).length;
  const unacknowledged = data.nag.reduce((n, p) => n + p.unacknowledged.length, 0);
  bar.done(
    `${data.timeline.length} timeline rows, ${data.access.length} access scenarios (${mismatches} mismatches), ${unacknowledged} unacknowledged nag findings, ${data.cost.warnings.length} cost warnings`,
  );
  return mismatches > 0 || unacknowledged > 0 ? 1 : 0;
}

/** The projection as text tables. */
export function renderCostText(envName: string, p: CostProjection): string {
  const pad = (rows: string[][]) => {
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    return rows
      .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '))
      .join('\n');
  };
  const lines = [
    `Steady-state monthly cost of ${envName}: ${p.recordingsPerDay} recordings a day of ${p.averageMb} MB (${Object.entries(
      p.shares,
    )
      .map(([k, v]) => `${k} ${Math.round(v * 1000) / 10}%`)
      .join(', ')})`,
    '',
    pad([
      ['storage class', 'GB stored', 'per month'],
      ...p.byStorageClass.map((c) => [c.storageClass, c.gb.toFixed(1), usd(c.monthlyUsd)]),
    ]),
    '',
    pad([['recordings', 'per month'], ...p.byLabel.map((l) => [l.label, usd(l.monthlyUsd)])]),
    '',
    pad([
      ['charge', 'per month'],
      ...p.byCategory.map((c) => [c.category, usd(c.monthlyUsd)]),
      ['total', usd(p.totalMonthlyUsd)],
    ]),
  ];
  if (p.warnings.length) lines.push('', 'Warnings:', ...p.warnings.map((w) => `- ${w.message}`));
  lines.push('', 'Assumptions:', ...p.assumptions.map((a) => `- ${a}`));
  lines.push('', `Prices: ${p.priceTables.map((t) => `${t.region} (${t.source}, checked ${t.checkedAt})`).join('; ')}`);
  return `${lines.join('\n')}\n`;
}

/** `npm run cost`. */
export async function costMain(values: OptionValues, io: CliIo, deps: EvidenceDeps): Promise<number> {
  const envName = values.env as string;
  const recordingsPerDay = positive(values, 'recordings-per-day');
  const averageMb = positive(values, 'average-mb');
  const share = shares(values);
  const cfg = config(envName);
  const p = project(() =>
    costProjection({
      rows: deps.timelineOf(cfg),
      recordingsPerDay,
      averageMb,
      shares: share,
      region: (values.region as string | undefined) ?? cfg.region,
      replicaRegion: cfg.replication?.region,
    }),
  );
  io.stdout.write(values.json ? `${JSON.stringify(p, null, 2)}\n` : renderCostText(envName, p));
  return 0;
}
