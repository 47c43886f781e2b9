import * as fs from 'fs';
import * as path from 'path';
import { GenesysCidrListSchema, loadConfig } from '../lib/config';
import { GenesysClient } from '../lambda/shared/genesys/client';
import { cidrDrift, cidrsOf } from '../lambda/shared/genesys/ip-ranges';
import { cliArgs } from './cli-args';

const USAGE = 'npm run genesys:ip-ranges -- --env NAME [--base-url URL]';
import { genesysBaseUrls, PATHS } from '../lambda/shared/genesys/wire';

/** What one refresh did. */
export interface RefreshResult {
  readonly file: string;
  readonly added: string[];
  readonly removed: string[];
}

/**
 * Fetches `GET /api/v2/ipranges` for the environment's Genesys region, keeps the services the
 * committed list names, and rewrites `lib/config/environments/<env>.genesys-cidrs.json`.
 */
export async function refreshCidrList(options: {
  readonly envName: string;
  /** @default the region's `https://api.{domain}` */
  readonly baseUrl?: string;
  /** @default lib/config/environments */
  readonly directory?: string;
  readonly now?: Date;
}): Promise<RefreshResult> {
  const config = loadConfig(options.envName);
  const directory = options.directory ?? path.join(__dirname, '..', 'lib', 'config', 'environments');
  const file = path.join(directory, `${options.envName}.genesys-cidrs.json`);
  const committed = GenesysCidrListSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  const region = config.genesys.region;
  const apiBaseUrl = options.baseUrl ?? genesysBaseUrls(region).apiBaseUrl;

  const client = new GenesysClient({ loginBaseUrl: apiBaseUrl, apiBaseUrl });
  const cidrs = cidrsOf(await client.ipRanges(), committed.services);
  if (cidrs.length === 0) {
    throw new Error(
      `Genesys lists no CIDR for the services ${committed.services.join(', ')} at ${apiBaseUrl}${PATHS.ipRanges}; check "services" in ${path.basename(file)}.`,
    );
  }
  const next = GenesysCidrListSchema.parse({
    source: `GET ${apiBaseUrl}${PATHS.ipRanges}, services ${committed.services.join(', ')}`,
    services: committed.services,
    region,
    fetchedAt: (options.now ?? new Date()).toISOString(),
    cidrs,
  });
  fs.writeFileSync(file, `${JSON.stringify(next, null, 2)}\n`);
  return { file, ...cidrDrift(committed.cidrs, cidrs) };
}


if (require.main === module) {
  const args = cliArgs(['env', 'base-url'], USAGE);
  const envName = args.env;
  if (!envName) {
    process.stderr.write(`usage: ${USAGE}\n`);
    process.exit(2);
  }
  refreshCidrList({ envName, baseUrl: args['base-url'] }).then(
    (r) => {
      process.stdout.write(`${r.file}: ${r.added.length} added, ${r.removed.length} removed\n`);
      for (const c of r.added) process.stdout.write(`+ ${c}\n`);
      for (const c of r.removed) process.stdout.write(`- ${c}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
