import { S3Client } from '@aws-sdk/client-s3';
import * as fs from 'fs';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
// s3rver ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
};

/** A running s3rver on 127.0.0.1 and a path-style client for it. */
export interface LocalS3 {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  /** Path-style client: s3rver reads a virtual-hosted `Host` as part of the bucket name. */
  readonly client: S3Client;
  /** Client options, to build more clients (e.g. for code that makes its own). */
  readonly clientConfig: ConstructorParameters<typeof S3Client>[0];
  stop(): Promise<void>;
}

/** Starts s3rver on a free loopback port with the given buckets, in a fresh temporary directory. */
export async function startS3(buckets: string[]): Promise<LocalS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    resetOnClose: true,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const clientConfig = {
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  };
  const client = new S3Client(clientConfig);
  return {
    endpoint,
    client,
    clientConfig,
    async stop() {
      client.destroy();
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
