import { ArchiveConfig, ENVIRONMENTS, loadConfig } from '../lib/config';
import { retentionTimeline, rowLabel, TimelineRow } from '../lib/retention/timeline';
import { CliError, CliIo, CommandSpec, exitWith, OptionValues, runCommand } from './lib/cli';

export const RETENTION_SPEC: CommandSpec = {
  usage: 'npm run retention -- --env NAME [--json]',
  summary:
    'Prints, for Genesys exports and each Connect retention class on each copy, the transition days, the locked-until day, the day the delete marker is placed and the day the bytes are gone.',
  options: {
    env: {
      type: 'string',
      placeholder: 'NAME',
      description: 'committed environment (lib/config/environments)',
      required: true,
    },
    json: { type: 'boolean', description: 'print the rows as JSON' },
  },
  examples: ['npm run retention -- --env prod', 'npm run retention -- --env sample --json'],
};

const day = (d: number | undefined) => (d === undefined ? '-' : String(d));

/** The timeline as an aligned text table, each row's notes numbered below it. */
export function formatTimeline(config: ArchiveConfig, rows: readonly TimelineRow[]): string {
  const notes: string[] = [];
  const noteRefs = (row: TimelineRow) =>
    row.notes
      .map((n) => {
        let i = notes.indexOf(n);
        if (i < 0) i = notes.push(n) - 1;
        return i + 1;
      })
      .join(',');
  const header = [
    'recording',
    'copy',
    'IA',
    'Glacier',
    'Deep Archive',
    'locked until',
    'delete marker',
    'bytes gone',
    'Genesys native',
    'notes',
  ];
  const table = rows.map((r) => [
    rowLabel(r, config),
    r.bucket,
    day(r.standardIaDay),
    day(r.glacierDay),
    day(r.deepArchiveDay),
    r.lockedUntilDay === undefined ? '-' : `${r.lockedUntilDay} ${r.lockMode ?? ''}`.trim(),
    day(r.deleteMarkerDay),
    day(r.bytesGoneDay),
    day(r.nativeDeletionDay),
    noteRefs(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [
    `Retention timeline of ${config.envName} (days after a recording is written):`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...table.map(line),
    '',
    ...notes.map((n, i) => `[${i + 1}] ${n}`),
    '',
  ].join('\n');
}

/** `npm run retention`: loads the environment and prints its timeline. */
export async function main(values: OptionValues, io: CliIo): Promise<number> {
  const envName = values.env as string;
  if (!Object.hasOwn(ENVIRONMENTS, envName)) {
    throw new CliError(
      `The environment "${envName}" is not committed; pass --env with one of: ${Object.keys(ENVIRONMENTS).join(', ')}.`,
    );
  }
  let config: ArchiveConfig;
  try {
    config = loadConfig(envName);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const rows = retentionTimeline(config);
  io.stdout.write(values.json ? `${JSON.stringify(rows, null, 2)}\n` : formatTimeline(config, rows));
  return 0;
}

if (require.main === module) exitWith(runCommand(RETENTION_SPEC, main));
