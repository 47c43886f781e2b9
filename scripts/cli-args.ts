import { parseArgs } from 'util';

/**
 * Reads `--name value` options of a script; an unknown or valueless option prints why and the
 * usage line, and exits 2.
 */
export function cliArgs<N extends string>(names: readonly N[], usage: string): Partial<Record<N, string>> {
  try {
    const options = Object.fromEntries(names.map((name) => [name, { type: 'string' as const }]));
    return parseArgs({ options }).values as Partial<Record<N, string>>;
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\nusage: ${usage}\n`);
    process.exit(2);
  }
}
