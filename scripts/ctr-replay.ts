import { KinesisClient, PutRecordsCommand, PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import * as fs from 'fs';
import * as readline from 'readline';
import { cliArgs } from './cli-args';

const USAGE = 'npm run ctr:replay -- --stream NAME|ARN --file ctrs.jsonl [--endpoint URL] [--region R]';
import { parseCtr } from '../lambda/tag-recordings/ctr';

/** PutRecords takes at most 500 records and 5 MiB per call. */
export const MAX_RECORDS_PER_CALL = 500;
export const MAX_BYTES_PER_CALL = 5 * 1024 * 1024;

/** What a replay did. */
export interface ReplayResult {
  /** CTR lines read (blank lines skipped). */
  readonly records: number;
  /** PutRecords calls made, retries included. */
  readonly calls: number;
  /** Entries Kinesis refused once and that were sent again. */
  readonly retried: number;
}

/** How failed entries are retried. */
export interface ReplayOptions {
  /** @default 5 */
  readonly maxAttempts?: number;
  /** First wait before resending failed entries, doubled each time. @default 200 */
  readonly retryDelayMs?: number;
}

/** Reads a JSON-lines file of CTRs, refusing the whole file at the first line that is not a CTR. */
export async function readCtrLines(file: string): Promise<PutRecordsRequestEntry[]> {
  const entries: PutRecordsRequestEntry[] = [];
  const lines = readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number += 1;
    if (line.trim() === '') continue;
    let contactId: string;
    try {
      contactId = parseCtr(line).ContactId;
    } catch (error) {
      throw new Error(`Line ${number} of ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    // The contact id as partition key keeps the CTRs of one contact in order on one shard.
    entries.push({ Data: Buffer.from(line, 'utf8'), PartitionKey: contactId });
  }
  return entries;
}

/** Splits entries into PutRecords calls of at most 500 records and 5 MiB. */
export function batches(entries: readonly PutRecordsRequestEntry[]): PutRecordsRequestEntry[][] {
  const result: PutRecordsRequestEntry[][] = [];
  let current: PutRecordsRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = (entry.Data?.length ?? 0) + Buffer.byteLength(entry.PartitionKey ?? '');
    if (current.length === MAX_RECORDS_PER_CALL || (current.length > 0 && bytes + size > MAX_BYTES_PER_CALL)) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) result.push(current);
  return result;
}

/** Puts the CTRs on the stream in order, resending the entries Kinesis refused (throttling) with backoff. */
export async function replay(
  client: KinesisClient,
  stream: string,
  entries: readonly PutRecordsRequestEntry[],
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  const maxAttempts = options.maxAttempts ?? 5;
  const retryDelayMs = options.retryDelayMs ?? 200;
  const target = stream.startsWith('arn:') ? { StreamARN: stream } : { StreamName: stream };
  let calls = 0;
  let retried = 0;
  for (const batch of batches(entries)) {
    let pending = batch;
    for (let attempt = 1; pending.length > 0; attempt++) {
      calls += 1;
      const result = await client.send(new PutRecordsCommand({ ...target, Records: pending }));
      const failed = pending.filter((_, i) => result.Records?.[i]?.ErrorCode);
      if (failed.length === 0) break;
      if (attempt >= maxAttempts) {
        const code = result.Records?.find((r) => r.ErrorCode)?.ErrorCode;
        throw new Error(`Kinesis refused ${failed.length} records ${maxAttempts} times (last error ${code}); nothing after them was sent.`);
      }
      retried += failed.length;
      pending = failed;
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** (attempt - 1)));
    }
  }
  return { records: entries.length, calls, retried };
}

/** The client the CLI uses: default credentials and region, optional endpoint, HTTP/1.1. */
export function kinesisClient(options: { readonly endpoint?: string; readonly region?: string }): KinesisClient {
  return new KinesisClient({ endpoint: options.endpoint, region: options.region, requestHandler: new NodeHttpHandler() });
}


if (require.main === module) {
  const args = cliArgs(['stream', 'file', 'endpoint', 'region'], USAGE);
  const stream = args.stream;
  const file = args.file;
  if (!stream || !file) {
    process.stderr.write(`usage: ${USAGE}\n`);
    process.exit(2);
  }
  const client = kinesisClient({ endpoint: args.endpoint, region: args.region });
  readCtrLines(file)
    .then((entries) => replay(client, stream, entries))
    .then(
      (r) => process.stdout.write(`${r.records} CTRs put on ${stream} in ${r.calls} PutRecords calls (${r.retried} entries resent)\n`),
      (error: unknown) => {
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
      },
    )
    .finally(() => client.destroy());
}
