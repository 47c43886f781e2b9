import * as fs from 'fs';
import * as path from 'path';

/** One Athena named query of the archive: its SQL file in lib/athena/search/ and its positional parameters. */
export interface NamedQuery {
  /** Kebab-case name (`archive search --query NAME`), also the file name without `.sql`. */
  readonly name: string;
  /** The file's header comment before its parameter line. */
  readonly description: string;
  /** Parameter names in the order of the query's `?` placeholders. */
  readonly params: readonly string[];
  /** The SQL, as deployed and as run by the CLI. */
  readonly sql: string;
}

/** Directory of the named queries' SQL. */
export const SEARCH_SQL_DIR = path.join(__dirname, 'search');

/** The named queries, in file-name order. */
export const NAMED_QUERY_NAMES = [
  'by-conversation',
  'by-agent',
  'by-queue',
  'by-date-range',
  'calls-in-range',
  'recordings-without-sidecar',
] as const;

/** The name of one named query. */
export type NamedQueryName = (typeof NAMED_QUERY_NAMES)[number];

/**
 * Reads one named query: its header names its parameters in a line `Parameters (in order): a, b.`;
 * the number of names must equal the number of `?` placeholders, which Athena fills in order.
 */
export function namedQuery(name: string, dir: string = SEARCH_SQL_DIR): NamedQuery {
  const file = path.join(dir, `${name}.sql`);
  const sql = fs.readFileSync(file, 'utf8');
  const header = sql
    .split('\n')
    .filter((l) => l.startsWith('--'))
    .map((l) => l.replace(/^--\s?/, ''))
    .join(' ');
  const match = /Parameters \(in order\): ([a-z_, ]+)\./.exec(header);
  if (!match)
    throw new Error(`${file} does not name its parameters; add a header line "-- Parameters (in order): name, other."`);
  const params = match[1].split(',').map((p) => p.trim());
  const placeholders = (stripComments(sql).match(/\?/g) ?? []).length;
  if (placeholders !== params.length) {
    throw new Error(`${file} names ${params.length} parameters but has ${placeholders} placeholders; make them agree.`);
  }
  const description = header.slice(0, match.index).trim();
  return { name, description, params, sql };
}

/** Every named query. */
export function namedQueries(dir: string = SEARCH_SQL_DIR): NamedQuery[] {
  return NAMED_QUERY_NAMES.map((n) => namedQuery(n, dir));
}

function stripComments(sql: string): string {
  return sql
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('--'))
    .join('\n')
    .replace(/'(?:[^']|'')*'/g, "''");
}
