import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Server } from 'http';
import { AddressInfo } from 'net';
// kinesalite ships no types; with no `path` it keeps streams in memory (memdown).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kinesalite = require('kinesalite') as (options: Record<string, unknown>) => Server;

/** A running kinesalite on 127.0.0.1 and a client for it. */
export interface LocalKinesis {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  /** HTTP/1.1 client (kinesalite speaks no HTTP/2). */
  readonly client: KinesisClient;
  stop(): Promise<void>;
}

/** Starts kinesalite in this process on a free loopback port; streams become ACTIVE after 50 ms. */
export async function startKinesis(): Promise<LocalKinesis> {
  const server = kinesalite({ createStreamMs: 50, deleteStreamMs: 50, updateStreamMs: 50, shardLimit: 50 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: new NodeHttpHandler(),
  });
  return {
    endpoint,
    client,
    async stop() {
      client.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
