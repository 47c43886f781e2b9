import * as fs from 'fs';
import * as path from 'path';
import { ENVIRONMENTS, GenesysCidrListSchema, loadConfig } from '../lib/config';
import { GenesysClient } from '../lambda/shared/genesys/client';
import { cidrDrift, cidrsOf } from '../lambda/shared/genesys/ip-ranges';
import { CliError, CommandSpec, exitWith, runCommand } from './lib/cli';
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

export const spec: CommandSpec = {
  usage: 'npm run genesys:ip-ranges -- --env NAME [--base-url URL]',
  summary:
    "Refreshes the environment's committed Genesys CIDR list from GET /api/v2/ipranges and prints what was added and removed.",
  options: {
    env: {
      type: 'string',
      placeholder: 'NAME',
      required: true,
      description: 'committed environment whose <env>.genesys-cidrs.json is rewritten',
    },
    'base-url': {
      type: 'string',
      placeholder: 'URL',
      description: "Genesys API base URL (default: the environment's Genesys region)",
    },
  },
  examples: ['npm run genesys:ip-ranges -- --env prod'],
};

if (require.main === module) {
  exitWith(
    runCommand(spec, async (values, io) => {
      const envName = values['env'] as string;
      if (!Object.hasOwn(ENVIRONMENTS, envName)) {
        throw new CliError(
          `Environment "${envName}" is not committed; pass --env with one of: ${Object.keys(ENVIRONMENTS).join(', ')}.`,
        );
      }
      const r = await refreshCidrList({ envName, baseUrl: values['base-url'] as string | undefined });
      io.stdout.write(`${r.file}: ${r.added.length} added, ${r.removed.length} removed\n`);
      for (const c of r.added) io.stdout.write(`+ ${c}\n`);
      for (const c of r.removed) io.stdout.write(`- ${c}\n`);
    }),
  );
}
