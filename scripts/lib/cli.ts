import { parseArgs } from 'util';

/** One option of a command, documented where it is declared. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  /** One line for `--help`. */
  readonly description: string;
  /** Placeholder shown in usage, e.g. `NAME`, `YYYY-MM-DD`. @default VALUE for strings */
  readonly placeholder?: string;
  /** May be given more than once (values arrive as an array). @default false */
  readonly multiple?: boolean;
  /** Usage error when missing. @default false */
  readonly required?: boolean;
  /** One-letter alias. @default - none */
  readonly short?: string;
}

/** A command's whole interface: what `--help` prints and what is accepted. */
export interface CommandSpec {
  /** How a user types it, e.g. `npm run archive -- find`. */
  readonly usage: string;
  /** One sentence: what the command does. */
  readonly summary: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Example invocations for `--help`. @default - none */
  readonly examples?: readonly string[];
}

/** Where a command writes; tests pass their own. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** A mistake in how the command was called: printed with the usage, exit 2. */
export class UsageError extends Error {}

/** A failure the user can act on; its message is one sentence naming what to do. Exit 1. */
export class CliError extends Error {}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** The text `--help` prints. */
export function helpText(spec: CommandSpec): string {
  const names = Object.keys(spec.options);
  const width = Math.max(8, ...names.map((n) => optionLabel(n, spec.options[n]).length));
  const lines = [`usage: ${spec.usage}`, '', spec.summary, '', 'options:'];
  for (const name of names) {
    const o = spec.options[name];
    const flags = [o.required ? 'required' : '', o.multiple ? 'repeatable' : ''].filter(Boolean).join(', ');
    lines.push(`  ${optionLabel(name, o).padEnd(width)}  ${o.description}${flags ? ` (${flags})` : ''}`);
  }
  lines.push(`  ${'--help'.padEnd(width)}  print this help and exit`);
  if (spec.examples?.length) lines.push('', 'examples:', ...spec.examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}

function optionLabel(name: string, o: OptionSpec): string {
  const short = o.short ? `-${o.short}, ` : '';
  return o.type === 'boolean' ? `${short}--${name}` : `${short}--${name} ${o.placeholder ?? 'VALUE'}`;
}

/**
 * Parses argv against the spec. Returns `'help'` when `--help`/`-h` is present; throws
 * {@link UsageError} for unknown options, missing values, stray arguments and missing required options.
 */
export function parseOptions(spec: CommandSpec, argv: readonly string[]): OptionValues | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([name, o]) => [
      name,
      { type: o.type, multiple: o.multiple ?? false, ...(o.short ? { short: o.short } : {}) },
    ]),
  );
  let values: OptionValues;
  try {
    const parsed = parseArgs({ args: [...argv], options, allowPositionals: false, strict: true });
    values = parsed.values as OptionValues;
  } catch (error) {
    throw new UsageError(firstSentence((error as Error)?.message ?? String(error)));
  }
  for (const [name, o] of Object.entries(spec.options)) {
    if (o.required && values[name] === undefined) throw new UsageError(`--${name} is required.`);
  }
  return values;
}

/**
 * Runs one command with the project's convention: `--help` prints usage and exits 0; a usage
 * mistake prints one sentence and the usage line and exits 2; any other failure prints one
 * sentence (never a stack trace) and exits 1. `main` returns the exit code (default 0).
 */
export async function runCommand(
  spec: CommandSpec,
  main: (values: OptionValues, io: CliIo) => Promise<number | void>,
  argv: readonly string[] = process.argv.slice(2),
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let values: OptionValues | 'help';
  try {
    values = parseOptions(spec, argv);
  } catch (error) {
    io.stderr.write(`error: ${(error as Error).message}\nusage: ${spec.usage}\n(run with --help for every option)\n`);
    return 2;
  }
  if (values === 'help') {
    io.stdout.write(helpText(spec));
    return 0;
  }
  try {
    return (await main(values, io)) ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`error: ${error.message}\nusage: ${spec.usage}\n`);
      return 2;
    }
    io.stderr.write(`error: ${describeError(error)}\n`);
    if (process.env.DEBUG_CLI) io.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return 1;
  }
}

/** A command with subcommands (`npm run archive -- find ...`): dispatches on the first argument. */
export interface Subcommand {
  readonly spec: CommandSpec;
  readonly main: (values: OptionValues, io: CliIo) => Promise<number | void>;
}

/** Runs `program <command> [options]`; `program --help` lists the commands. */
export async function runSubcommands(
  program: string,
  summary: string,
  commands: Readonly<Record<string, Subcommand>>,
  argv: readonly string[] = process.argv.slice(2),
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const [name, ...rest] = argv;
  const list = () =>
    `usage: ${program} <command> [options]\n\n${summary}\n\ncommands:\n${Object.entries(commands)
      .map(([n, c]) => `  ${n.padEnd(10)}  ${c.spec.summary}`)
      .join('\n')}\n\nRun ${program} <command> --help for a command's options.\n`;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(list());
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr.write(`error: unknown command "${name}"; use one of: ${Object.keys(commands).join(', ')}.\n`);
    return 2;
  }
  return runCommand(command.spec, command.main, rest, io);
}

/** Runs a command as a script's entry point and exits with its code. */
export function exitWith(code: Promise<number>): void {
  void code.then((c) => {
    process.exitCode = c;
  });
}

/**
 * One sentence for an error: CliError and UsageError as written; network failures name the
 * host; AWS SDK errors name the service's error code; anything else its first line.
 */
export function describeError(error: unknown): string {
  if (error instanceof CliError || error instanceof UsageError) return error.message;
  const e = error as {
    name?: string;
    message?: string;
    code?: string;
    hostname?: string;
    address?: string;
    port?: number;
    cause?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const network = networkCause(error);
  if (network) return network;
  const message = firstSentence(e?.message ?? String(error));
  if (/Region is missing/i.test(message)) return 'No AWS region is set; pass --region or set AWS_REGION.';
  if (e?.name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return 'No AWS credentials were found; set AWS_PROFILE or run aws sso login first.';
  }
  if (e?.$metadata?.httpStatusCode !== undefined && e.name) {
    return `AWS answered ${e.name} (HTTP ${e.$metadata.httpStatusCode}): ${message}`;
  }
  return message;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

function networkCause(error: unknown): string | undefined {
  for (
    let e = error as { code?: string; hostname?: string; address?: string; port?: number; cause?: unknown } | undefined,
      depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    if (e.code && NETWORK_CODES.has(e.code)) {
      const host = e.hostname ?? (e.address ? `${e.address}${e.port ? `:${e.port}` : ''}` : 'the server');
      return `Could not reach ${host} (${e.code}); check the network, the region or --base-url.`;
    }
  }
  return undefined;
}

function firstSentence(text: string): string {
  const line = text.split('\n')[0].trim();
  const sentence = /^(.*?[.!?])\s+[A-Z]/.exec(line)?.[1] ?? line;
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/** Progress of long work: a redrawn bar on a terminal, plain lines (at most one per interval) otherwise. */
export interface Progress {
  /** Sets how far the work is; `detail` is shown after the counts (e.g. `processed 10, failed 1`). */
  update(done: number, total?: number, detail?: string): void;
  /** Prints a line without breaking the bar. */
  log(line: string): void;
  /** Ends the bar with a final line. */
  done(summary: string): void;
}

/** Creates the progress reporter for `label`, on stderr so stdout stays for results and `--json`. */
export function progress(
  label: string,
  options: {
    readonly stream?: NodeJS.WritableStream & { isTTY?: boolean };
    readonly intervalMs?: number;
    readonly now?: () => number;
  } = {},
): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  const interval = options.intervalMs ?? (tty ? 100 : 5000);
  const now = options.now ?? Date.now;
  let last = -Infinity;
  let drawn = false;
  const line = (done: number, total?: number, detail?: string) => {
    const pct = total ? Math.min(100, Math.floor((done / total) * 100)) : undefined;
    const counts = total !== undefined ? `${done}/${total}` : `${done}`;
    const bar = tty && pct !== undefined ? `[${'#'.repeat(Math.round(pct / 5)).padEnd(20, '.')}] ` : '';
    return `${label}: ${bar}${pct !== undefined ? `${pct}% ` : ''}${counts}${detail ? ` ${detail}` : ''}`;
  };
  const clear = () => {
    if (tty && drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  return {
    update(done, total, detail) {
      const t = now();
      const finished = total !== undefined && done >= total;
      if (t - last < interval && !finished) return;
      last = t;
      if (tty) {
        stream.write(`\r\x1b[2K${line(done, total, detail)}`);
        drawn = true;
      } else {
        stream.write(`${line(done, total, detail)}\n`);
      }
    },
    log(text) {
      clear();
      stream.write(`${text}\n`);
    },
    done(summary) {
      clear();
      stream.write(`${label}: ${summary}\n`);
    },
  };
}
