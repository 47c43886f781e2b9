import { AthenaClient } from '@aws-sdk/client-athena';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ArchiveConfig, loadConfig } from '../lib/config';
import { GenesysClient } from '../lambda/shared/genesys/client';
import { archiveCommands, ServicesFactory } from './archive/commands';
import { CliIo, exitWith, runSubcommands } from './lib/cli';
import { genesysClientFor } from './lib/genesys-oauth';

/** AWS clients in the environment's region with the default credential chain. */
export const awsServices: ServicesFactory = (config, values) => {
  const region = config.region;
  const s3 = new S3Client({ region });
  let genesys: Promise<GenesysClient> | undefined;
  return {
    s3,
    s3control: new S3ControlClient({ region }),
    athena: new AthenaClient({ region }),
    sts: new STSClient({ region }),
    genesys: () => (genesys ??= genesysClientFor(config, { baseUrl: values['base-url'] as string | undefined })),
    presign: (command: GetObjectCommand, expiresIn: number) => getSignedUrl(s3, command, { expiresIn }),
    credentialsExpiration: async () => (await s3.config.credentials()).expiration,
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    pollMs: 15_000,
  };
};

/** `npm run archive -- <command> ...`; tests call it with their own services and io. */
export function main(
  argv: readonly string[] = process.argv.slice(2),
  io?: CliIo,
  services: ServicesFactory = awsServices,
  loadEnv: (name: string) => ArchiveConfig = loadConfig,
): Promise<number> {
  return runSubcommands(
    'npm run archive --',
    'Day-2 operations on the archive: find, restore, presign, hold, release and search call recordings.',
    archiveCommands(services, loadEnv),
    argv,
    io,
  );
}

if (require.main === module) exitWith(main());
