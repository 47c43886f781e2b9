import { GetObjectTaggingCommand, PutObjectCommand, PutObjectTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'child_process';
import * as os from 'os';
import * as path from 'path';
import { createInterface } from 'readline';
import { logger } from '../../lambda/shared/logger';
import { createLimit } from '../../lambda/shared/limit';
import { FailureQueues } from '../../lambda/tag-recordings/failure-queues';
import { TaggerSettings } from '../../lambda/tag-recordings/settings';
import { createHandler } from '../../lambda/tag-recordings/tagger';
import { ctr } from '../fixtures/connect-ctr';
import { kinesisEventOf, lambdaContext } from '../support/kinesis-event';
import { COUNTS_PATH } from '../support/s3-proxy';

// 1,000 CTRs against s3rver behind a proxy that adds 20 ms to every S3 call. The one-by-one
// baseline runs on 100 records (its rate does not depend on the count) to keep the run short.
const BUCKET = 'bench-connect-recordings';
const DELAY_MS = 20;
const RECORDS = 1000;
const BASELINE_RECORDS = 100;
/** Alternating handler and SDK-only rounds; medians are reported. */
const ROUNDS = 5;
const CONCURRENCY = Number(process.env.TAG_CONCURRENCY ?? 50);

const settings = (concurrency: number): TaggerSettings => ({
  tagKey: 'retention',
  classes: ['short', 'long'],
  defaultClass: 'long',
  concurrency,
  missingObjectAttempts: 1,
  missingObjectDelayMs: 1,
});

const keyOf = (set: string, i: number) => `connect/bench/CallRecordings/2026/11/23/${set}-${i}_20261123T11:34_UTC.wav`;

async function startServers(): Promise<{ s3: string; proxy: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'tag-recordings.servers.ts'), BUCKET, String(DELAY_MS)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const [line] = await new Promise<string[]>((resolve) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (l) => resolve([l]));
  });
  return { ...(JSON.parse(line) as { s3: string; proxy: string }), stop: () => child.kill('SIGTERM') };
}

async function proxyCounts(proxy: string): Promise<number> {
  const response = await fetch(`${proxy}${COUNTS_PATH}?reset`);
  const counts = (await response.json()) as Record<string, number>;
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** Every bench recording exists, so nothing may be queued; a queued CTR fails the run. */
const NO_FAILURES: FailureQueues = {
  retry: (message) =>
    Promise.reject(new Error(`Contact ${message.plan?.contactId} was queued for retry in the benchmark.`)),
  park: (message) => Promise.reject(new Error(`A CTR was parked in the benchmark: ${message.detail}`)),
};

async function run(client: S3Client, set: string, count: number, concurrency: number) {
  const event = kinesisEventOf(
    Array.from({ length: count }, (_, i) =>
      JSON.stringify(ctr(`${set}-${i}`, `${BUCKET}/${keyOf(set, i)}`, { retention: 'short' })),
    ),
  );
  const handler = createHandler({ s3: client, settings: settings(concurrency), queues: NO_FAILURES });
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await handler(event, lambdaContext());
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  if (result.batchItemFailures.length > 0)
    throw new Error(`${result.batchItemFailures.length} records failed in the ${set} run.`);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, perSecond: (count / wallMs) * 1000 };
}

/** The SDK alone: one GetObjectTagging and one PutObjectTagging per object, same concurrency, no handler. */
async function sdkOnly(client: S3Client, set: string, count: number, concurrency: number) {
  const limit = createLimit(concurrency);
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      limit(async () => {
        const Key = keyOf(set, i);
        await client.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key }));
        await client.send(
          new PutObjectTaggingCommand({
            Bucket: BUCKET,
            Key,
            Tagging: { TagSet: [{ Key: 'retention', Value: 'long' }] },
          }),
        );
      }),
    ),
  );
  const used = process.cpuUsage(cpu);
  const wallMs = performance.now() - start;
  return { cpuMsPerRequest: (used.user + used.system) / 1000 / (count * 2), perSecond: (count / wallMs) * 1000 };
}

async function main() {
  logger.setLogLevel('SILENT');
  const servers = await startServers();
  try {
    const config = {
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    };
    const direct = new S3Client({ ...config, endpoint: servers.s3 });
    const client = new S3Client({ ...config, endpoint: servers.proxy });
    const put = createLimit(32);
    const rounds = Array.from({ length: ROUNDS }, (_, r) => r);
    const sets: Array<[string, number]> = [
      ['warm', RECORDS],
      ['sdk-warm', RECORDS],
      ['baseline', BASELINE_RECORDS],
      ...rounds.flatMap((r): Array<[string, number]> => [
        [`batch-${r}`, RECORDS],
        [`sdk-${r}`, RECORDS],
      ]),
    ];
    await Promise.all(
      sets.flatMap(([set, n]) =>
        Array.from({ length: n }, (_, i) =>
          put(() => direct.send(new PutObjectCommand({ Bucket: BUCKET, Key: keyOf(set, i), Body: 'audio' }))),
        ),
      ),
    );

    // JIT, sockets and SDK caches warm up on objects of their own before anything is measured.
    await run(client, 'warm', RECORDS, CONCURRENCY);
    await sdkOnly(client, 'sdk-warm', RECORDS, CONCURRENCY);
    await proxyCounts(servers.proxy);
    const baseline = await run(client, 'baseline', BASELINE_RECORDS, 1);
    await proxyCounts(servers.proxy);
    // Handler and SDK-only runs alternate, on fresh objects each round; the medians are reported,
    // so one garbage collection or a busy second core does not decide the ratio.
    const batches: Awaited<ReturnType<typeof run>>[] = [];
    const sdks: Awaited<ReturnType<typeof sdkOnly>>[] = [];
    let requests = 0;
    for (const r of rounds) {
      batches.push(await run(client, `batch-${r}`, RECORDS, CONCURRENCY));
      requests += await proxyCounts(servers.proxy);
      sdks.push(await sdkOnly(client, `sdk-${r}`, RECORDS, CONCURRENCY));
      await proxyCounts(servers.proxy);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const batch = { perSecond: median(batches.map((b) => b.perSecond)), wallMs: median(batches.map((b) => b.wallMs)) };
    const sdk = {
      perSecond: median(sdks.map((x) => x.perSecond)),
      cpuMsPerRequest: median(sdks.map((x) => x.cpuMsPerRequest)),
    };

    const requestsPerRecord = requests / (RECORDS * ROUNDS);
    const cpuPerRecord = median(batches.map((b) => b.cpuMs / RECORDS));
    const sdkCpuPerRecord = sdk.cpuMsPerRequest * requestsPerRecord;
    const lines = [
      `cpus: ${os.cpus().length}, S3 latency added: ${DELAY_MS} ms per call, concurrency ${CONCURRENCY}, medians of ${ROUNDS} alternating rounds`,
      `handler CPU per record by round: ${batches.map((b) => (b.cpuMs / RECORDS).toFixed(3)).join(', ')} ms; SDK CPU per request by round: ${sdks.map((x) => x.cpuMsPerRequest.toFixed(3)).join(', ')} ms`,
      `baseline (one by one, ${BASELINE_RECORDS} records): ${baseline.perSecond.toFixed(1)} records/s`,
      `batch (${RECORDS} records, bounded concurrency): ${batch.perSecond.toFixed(1)} records/s in ${batch.wallMs.toFixed(0)} ms`,
      `ratio against baseline: ${(batch.perSecond / baseline.perSecond).toFixed(1)}x (target >= 20x)`,
      `S3 requests per record: ${requestsPerRecord.toFixed(2)} (target <= 2)`,
      `handler CPU per record: ${cpuPerRecord.toFixed(3)} ms`,
      `SDK alone (same requests, same concurrency, no handler): ${sdk.perSecond.toFixed(1)} objects/s`,
      `SDK CPU per request (same run, no handler): ${sdk.cpuMsPerRequest.toFixed(3)} ms -> ${sdkCpuPerRecord.toFixed(3)} ms for ${requestsPerRecord.toFixed(2)} requests`,
      `handler CPU / SDK CPU: ${(cpuPerRecord / sdkCpuPerRecord).toFixed(2)}x (target <= 1.2x)`,
      `ceiling at this CPU cost: ${(1000 / cpuPerRecord).toFixed(0)} records/s per Node thread, ${((1000 * os.cpus().length) / cpuPerRecord).toFixed(0)} records/s on ${os.cpus().length} cores`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    direct.destroy();
    client.destroy();
  } finally {
    servers.stop();
  }
}

void main();
