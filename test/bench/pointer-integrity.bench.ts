import { ListedVersion } from '../../lambda/pointer-integrity/over-retention';
import { partitionPlan } from '../../lambda/pointer-integrity/partitions';
import { ListedObject } from '../../lambda/pointer-integrity/reconcile';
import {
  ArchiveReader,
  CheckSettings,
  ListPage,
  VersionPage,
  newRun,
  runInvocation,
} from '../../lambda/pointer-integrity/run';

// About 1,000,000 pointers (recording and sidecar keys) listed through an adapter that answers each
// S3 call after 20 ms, against a HEAD-per-object baseline at the same concurrency on 10,000. The
// archive's versions are listed (ListObjectVersions), as the deployed check does: 0.4% of the keys
// have a noncurrent version, and the partition before the day partitions holds expired keys (a
// delete marker and the noncurrent version under it), all within their days, so no finding is due.
const LATENCY_MS = 20;
const PAGE = 1000;
const CONCURRENCY = 16;
const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555';
const LAYOUT = '{orgId}/year={yyyy}/month={mm}/day={dd}/hour={hh}/conversation_id={conversationId}/';
const STARTED = new Date('2026-11-22T03:00:00Z');
const OLD = new Date('2025-06-01T00:00:00Z');
const DAY_MS = 86_400_000;
/** Overwritten 20 days ago: its older version is noncurrent, within the 30 noncurrent days. */
const REWRITTEN = new Date(STARTED.getTime() - 20 * DAY_MS);
/** One key in this many has a noncurrent version. */
const NONCURRENT_EVERY = 250;
const NONCURRENT_DAYS = 30;
/** Expired keys in the partition before the day partitions: a delete marker 10 days old over a version. */
const EXPIRED_KEYS = 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Entries (versions and markers) are generated per page, so a million pointers cost no memory up front. */
class SyntheticArchive implements ArchiveReader {
  lists = 0;
  heads = 0;
  /** Listed versions and delete markers. */
  entries = 0;
  constructor(private readonly keysPerPartition: number) {}

  private key(prefix: string, j: number): string {
    const pair = Math.floor(j / 2);
    const folder = `${prefix}hour=${String(pair % 24).padStart(2, '0')}/conversation_id=c${pair}/`;
    return j % 2 === 0 ? `${folder}r${pair}.opus` : `${folder}r${pair}_metadata.json`;
  }

  /** Entries of a day partition: every NONCURRENT_EVERY-th key is followed by its noncurrent version. */
  private dayEntry(prefix: string, e: number): ListedVersion {
    const group = Math.floor(e / (NONCURRENT_EVERY + 1));
    const r = e % (NONCURRENT_EVERY + 1);
    const j = group * NONCURRENT_EVERY + (r === 0 ? 0 : r - 1);
    const rewritten = r <= 1;
    return {
      key: this.key(prefix, j),
      versionId: r === 1 ? 'older' : 'current',
      lastModified: rewritten ? (r === 0 ? REWRITTEN : OLD) : OLD,
      size: 1,
      isLatest: r !== 1,
      isDeleteMarker: false,
    };
  }

  get dayEntries(): number {
    return this.keysPerPartition + Math.ceil(this.keysPerPartition / NONCURRENT_EVERY);
  }

  async listPage(_bucket: string, prefix: string, token?: string): Promise<ListPage> {
    this.lists += 1;
    await sleep(LATENCY_MS);
    const start = token ? Number(token) : 0;
    const end = Math.min(start + PAGE, this.keysPerPartition);
    const objects: ListedObject[] = [];
    for (let j = start; j < end; j++) objects.push({ key: this.key(prefix, j), lastModified: OLD, size: 1 });
    return { objects, nextToken: end < this.keysPerPartition ? String(end) : undefined };
  }

  async listVersions(_bucket: string, prefix: string, token?: string): Promise<VersionPage> {
    this.lists += 1;
    await sleep(LATENCY_MS);
    const start = token ? Number(token) : 0;
    const versions: ListedVersion[] = [];
    // The partition before the day partitions (the org's root): expired keys of 2024, marker over version.
    const older = !prefix.includes('year=');
    const total = older ? EXPIRED_KEYS * 2 : this.dayEntries;
    const end = Math.min(start + PAGE, total);
    for (let e = start; e < end; e++) {
      if (older) {
        const key = this.key(`${prefix}year=2024/month=11/day=01/`, Math.floor(e / 2) * 2);
        const marker = e % 2 === 0;
        versions.push({
          key,
          versionId: marker ? 'marker' : 'expired',
          lastModified: marker ? new Date(STARTED.getTime() - 10 * DAY_MS) : new Date('2024-11-01T00:00:00Z'),
          size: marker ? 0 : 1,
          isLatest: marker,
          isDeleteMarker: marker,
        });
      } else {
        versions.push(this.dayEntry(prefix, e));
      }
    }
    this.entries += versions.length;
    return { versions, nextToken: end < total ? String(end) : undefined };
  }

  async encryption(_bucket: string, _key: string) {
    this.heads += 1;
    await sleep(LATENCY_MS);
    return { serverSideEncryption: 'aws:kms', kmsKeyId: KEY_ARN };
  }

  async tags() {
    return {};
  }

  /** Every key of the archive, for the baseline. */
  *allKeys(prefixes: readonly string[]): Generator<string> {
    for (const prefix of prefixes) for (let j = 0; j < this.keysPerPartition; j++) yield this.key(prefix, j);
  }
}

const settings: CheckSettings = {
  archiveKeyArn: KEY_ARN,
  platformRetentionDays: 730,
  expirationRules: [{ id: 'archive-window', prefix: 'recordings/', tags: {}, days: 730 }],
  lookbackDays: 7,
  retentionTagKey: 'retention',
  retentionClasses: ['short', 'long'],
  conversationPrefix: () => 'unused/',
  archiveBucket: 'archive',
  concurrency: CONCURRENCY,
  safetyMs: 0,
  examplesPerType: 1000,
  retention: {
    archive: {
      copy: 'archive',
      rules: [{ id: 'archive-window', prefix: 'recordings/', tags: {}, days: 730 }],
      noncurrentDays: NONCURRENT_DAYS,
    },
  },
};

async function listing(pointers: number, partitions: number) {
  const plan = partitionPlan({
    startedAt: STARTED,
    horizonDays: partitions - 1,
    archiveBucket: 'archive',
    recordingsPrefix: 'recordings/',
    keyLayout: LAYOUT,
    orgId: 'org',
    overRetention: true,
  });
  const archive = new SyntheticArchive(pointers / partitions);
  const started = performance.now();
  const result = await runInvocation({
    state: newRun(STARTED),
    plan,
    reader: archive,
    settings,
    remainingMs: () => Number.MAX_SAFE_INTEGER,
  });
  const seconds = (performance.now() - started) / 1000;
  if (!result.done || result.stats.pointers !== pointers || result.findings.total !== 0) {
    throw new Error(
      `The listing run verified ${result.stats.pointers} of ${pointers} pointers with ${result.findings.total} findings.`,
    );
  }
  return {
    seconds,
    requests: archive.lists + archive.heads,
    lists: archive.lists,
    heads: archive.heads,
    entries: archive.entries,
    plan,
    archive,
  };
}

/** The baseline: one HEAD per pointer (does its counterpart exist?), same concurrency. */
async function headPerObject(keys: string[]) {
  const archive = new SyntheticArchive(0);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < keys.length) {
        const key = keys[next];
        next += 1;
        await archive.encryption('archive', key);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, requests: archive.heads };
}

async function main() {
  const SAMPLE = 10_000;
  // 9,960 keys and 40 noncurrent versions per day partition: 10,000 listed versions, ten pages.
  const POINTERS = 996_000;
  const big = await listing(POINTERS, 100);
  const small = await listing(SAMPLE, 10);
  const baselineKeys = [
    ...small.archive.allKeys(small.plan.filter((p) => p.before === undefined).map((p) => p.prefix)),
  ];
  const baseline = await headPerObject(baselineKeys);

  const perRequest = POINTERS / big.requests;
  const baselinePerRequest = SAMPLE / baseline.requests;
  const baselineMillionSeconds = baseline.seconds * (POINTERS / SAMPLE);
  const row = (name: string, pointers: number, requests: number, seconds: number) =>
    `${name.padEnd(34)} ${String(pointers).padStart(9)} ${String(requests).padStart(9)} ${(pointers / requests).toFixed(1).padStart(10)} ${seconds.toFixed(2).padStart(9)}`;
  process.stdout.write(
    [
      `S3 latency ${LATENCY_MS} ms per call, ${PAGE} keys per page, concurrency ${CONCURRENCY}`,
      `${'run'.padEnd(34)} ${'pointers'.padStart(9)} ${'requests'.padStart(9)} ${'ptrs/req'.padStart(10)} ${'wall s'.padStart(9)}`,
      `listed ${big.entries} versions and delete markers: ${POINTERS} current keys, ${big.entries - POINTERS} noncurrent versions and delete markers`,
      row(`listing (${big.lists} LIST + ${big.heads} HEAD)`, POINTERS, big.requests, big.seconds),
      row(`listing, sample (${small.lists} LIST + ${small.heads} HEAD)`, SAMPLE, small.requests, small.seconds),
      row('HEAD per object, sample', SAMPLE, baseline.requests, baseline.seconds),
      '',
      `pointers per S3 request, versions listed: ${perRequest.toFixed(1)} (target >= 900): ${perRequest >= 900 ? 'met' : 'MISSED'}`,
      `wall time for ${POINTERS} pointers: ${big.seconds.toFixed(2)} s (target < 60 s): ${big.seconds < 60 ? 'met' : 'MISSED'}`,
      `ratio, pointers per request, listing / HEAD per object: ${(perRequest / baselinePerRequest).toFixed(0)}x`,
      `ratio, wall time on the 10,000 sample, HEAD per object / listing: ${(baseline.seconds / small.seconds).toFixed(1)}x`,
      `ratio, wall time for ${POINTERS} (HEAD per object extrapolated ${baselineMillionSeconds.toFixed(0)} s) / listing: ${(baselineMillionSeconds / big.seconds).toFixed(0)}x`,
      '',
    ].join('\n'),
  );
  if (perRequest < 900 || big.seconds >= 60) process.exitCode = 1;
}

void main();
