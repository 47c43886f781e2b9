import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { loadConfig } from '../lib/config';
import { sqsFailureQueues } from '../lambda/tag-recordings/failure-queues';
import { firstFailure, parseFailureMessage } from '../lambda/tag-recordings/failures';
import { TaggerSettings } from '../lambda/tag-recordings/settings';
import { tagPlan } from '../lambda/tag-recordings/tag-plan';
import { planRecord } from '../lambda/tag-recordings/tagger';
import { CliError, CliIo, CommandSpec, describeError, exitWith, OptionValues, progress, runCommand } from './lib/cli';
import { cloudFormationOutputs, connectQueueUrls, StackOutputs } from './lib/connect-outputs';

export const SPEC: CommandSpec = {
  usage: 'npm run ctr:redrive -- --env NAME [--dry-run] [--json]',
  summary:
    "Re-processes the CTRs the tagger could not tag: parked CTRs from the parked-CTR queue, and the shard ranges in the event source's on-failure queue read back from the stream; a message is deleted only after its recordings are tagged.",
  options: {
    env: { type: 'string', description: 'environment whose queues to drain', placeholder: 'NAME', required: true },
    'dry-run': { type: 'boolean', description: 'list what would be re-processed; tag nothing, delete nothing' },
    json: { type: 'boolean', description: 'print the summary as JSON' },
  },
  examples: ['npm run ctr:redrive -- --env prod --dry-run', 'npm run ctr:redrive -- --env prod'],
};

/** What the command talks to; tests pass clients for their emulators. */
export interface RedriveDependencies {
  readonly sqs: SQSClient;
  readonly kinesis: KinesisClient;
  readonly s3: S3Client;
  readonly outputs: StackOutputs;
  /** @default the environment's committed retention settings */
  readonly settings?: TaggerSettings;
}

/** One message that stays in its queue, and why. */
export interface LeftMessage {
  readonly queue: 'parked' | 'shard-failures';
  readonly messageId: string;
  readonly reason: string;
}

/** What a redrive did. */
export interface RedriveSummary {
  readonly dryRun: boolean;
  /** Parked CTRs tagged and deleted (or, dry-run, that would be re-processed). */
  readonly parkedTagged: number;
  /** Shard-range messages whose records were all settled and that were deleted. */
  readonly rangesRedriven: number;
  /** Records read back from the stream. */
  readonly recordsRead: number;
  /** Records of a range that were no CTR, moved to the parked-CTR queue with their data. */
  readonly recordsParked: number;
  readonly left: readonly LeftMessage[];
}

/** The Lambda on-failure record of a Kinesis event source (`KinesisBatchInfo`). */
interface KinesisBatchInfo {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly streamArn: string;
}

function batchInfoOf(body: string | undefined): KinesisBatchInfo {
  let json: { KinesisBatchInfo?: Partial<KinesisBatchInfo> };
  try {
    json = JSON.parse(body ?? '') as typeof json;
  } catch {
    throw new Error('The message is not JSON, so it is not an on-failure record.');
  }
  const info = json.KinesisBatchInfo;
  if (!info?.shardId || !info.startSequenceNumber || !info.endSequenceNumber || !info.streamArn) {
    throw new Error(
      'The message has no KinesisBatchInfo with shardId, startSequenceNumber, endSequenceNumber and streamArn.',
    );
  }
  return info as KinesisBatchInfo;
}

/** Receives every message of a queue once (long polling, so an empty answer means empty). */
async function* drain(sqs: SQSClient, queueUrl: string): AsyncGenerator<Message> {
  for (;;) {
    // Ten minutes hide each message from the rest of this run; one left in place reappears after it.
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 600,
        WaitTimeSeconds: 1,
      }),
    );
    if (!Messages || Messages.length === 0) return;
    yield* Messages;
  }
}

/** Reads the records of one shard range back from the stream, or throws one sentence saying it no longer can. */
async function readRange(
  kinesis: KinesisClient,
  info: KinesisBatchInfo,
): Promise<Array<{ sequenceNumber: string; data: string }>> {
  const streamName = info.streamArn.split(':stream/')[1];
  const gone = `The stream ${streamName} no longer holds shard ${info.shardId} from sequence number ${info.startSequenceNumber} (its retention period has passed, or the stream or shard is gone): bring these CTRs back from a CTR archive with ctr:backfill, then delete this message.`;
  let iterator: string | undefined;
  try {
    ({ ShardIterator: iterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: info.shardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        StartingSequenceNumber: info.startSequenceNumber,
      }),
    ));
  } catch (error) {
    if (['ResourceNotFoundException', 'InvalidArgumentException'].includes((error as Error).name))
      throw new Error(gone, { cause: error });
    throw error;
  }
  const end = BigInt(info.endSequenceNumber);
  const records: Array<{ sequenceNumber: string; data: string }> = [];
  while (iterator) {
    const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    for (const record of page.Records ?? []) {
      const sequenceNumber = record.SequenceNumber ?? '0';
      if (BigInt(sequenceNumber) > end) return records;
      if (records.length === 0 && sequenceNumber !== info.startSequenceNumber) throw new Error(gone);
      records.push({ sequenceNumber, data: Buffer.from(record.Data ?? new Uint8Array()).toString('utf8') });
    }
    if ((page.Records ?? []).length === 0 && (page.MillisBehindLatest ?? 0) === 0) break;
    iterator = page.NextShardIterator;
  }
  if (records.length === 0) throw new Error(gone);
  return records;
}

/** Drains both queues; returns the summary (the CLI exits 1 when anything is left). */
export async function redrive(
  envName: string,
  dryRun: boolean,
  deps: RedriveDependencies,
  io: CliIo,
): Promise<RedriveSummary> {
  const config = loadConfig(envName);
  const settings: TaggerSettings = deps.settings ?? {
    tagKey: config.retention.tagKey,
    classes: Object.keys(config.retention.classes),
    defaultClass: config.retention.defaultClass,
    concurrency: 1,
    missingObjectAttempts: 3,
    missingObjectDelayMs: 200,
  };
  const retry = { attempts: settings.missingObjectAttempts, delayMs: settings.missingObjectDelayMs };
  const urls = await connectQueueUrls(deps.outputs, envName);
  const parkedQueue = sqsFailureQueues(deps.sqs, {
    retryQueueUrl: urls.parkedQueueUrl,
    parkedQueueUrl: urls.parkedQueueUrl,
  });
  const park = (message: Parameters<typeof parkedQueue.park>[0]) => parkedQueue.park(message);
  const bar = progress('ctr:redrive', { stream: io.stderr });
  const left: LeftMessage[] = [];
  let parkedTagged = 0;
  let rangesRedriven = 0;
  let recordsRead = 0;
  let recordsParked = 0;
  const remove = (queueUrl: string, message: Message) =>
    deps.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));

  // 1. Parked CTRs: each carries its CTR (or the record's data) and its plan.
  const seenParked = new Set<string>();
  for await (const message of drain(deps.sqs, urls.parkedQueueUrl)) {
    const id = message.MessageId ?? '';
    if (seenParked.has(id)) continue;
    seenParked.add(id);
    try {
      const failure = parseFailureMessage(message.Body ?? '');
      const planned =
        failure.ctr !== undefined
          ? planRecord(JSON.stringify(failure.ctr), settings)
          : planRecord(failure.data ?? '', settings);
      if ('error' in planned) throw new Error(planned.error);
      const plan = planned.plan;
      if (dryRun) {
        bar.log(`would re-tag contact ${plan.contactId} (${failure.reason}: ${failure.detail})`);
        parkedTagged += 1;
        continue;
      }
      const outcome = await tagPlan(deps.s3, plan, retry);
      if (outcome.status !== 'tagged') throw new Error(outcome.detail);
      await remove(urls.parkedQueueUrl, message);
      parkedTagged += 1;
    } catch (error) {
      left.push({ queue: 'parked', messageId: id, reason: describeError(error) });
    }
    bar.update(parkedTagged + left.length, undefined, `parked CTRs: tagged ${parkedTagged}, left ${left.length}`);
  }

  // 2. Shard ranges: the records themselves are read back from the stream.
  const seenRanges = new Set<string>();
  for await (const message of drain(deps.sqs, urls.shardFailureQueueUrl)) {
    const id = message.MessageId ?? '';
    if (seenRanges.has(id)) continue;
    seenRanges.add(id);
    try {
      const info = batchInfoOf(message.Body);
      const records = await readRange(deps.kinesis, info);
      recordsRead += records.length;
      if (dryRun) {
        bar.log(`would re-process ${records.length} records of ${info.shardId} from ${info.startSequenceNumber}`);
        rangesRedriven += 1;
        continue;
      }
      const unsettled: string[] = [];
      const noCtrs: Array<{ sequenceNumber: string; data: string; error: string; ctr?: Record<string, unknown> }> = [];
      for (const record of records) {
        const planned = planRecord(record.data, settings);
        if ('error' in planned) {
          noCtrs.push({ ...record, error: planned.error, ctr: planned.ctr });
          continue;
        }
        try {
          const outcome = await tagPlan(deps.s3, planned.plan, retry);
          if (outcome.status !== 'tagged') unsettled.push(`${record.sequenceNumber}: ${outcome.detail}`);
        } catch (error) {
          unsettled.push(`${record.sequenceNumber}: ${describeError(error)}`);
        }
      }
      if (unsettled.length > 0)
        throw new Error(`${unsettled.length} of ${records.length} records are not tagged yet (first: ${unsettled[0]})`);
      // Records that are no CTR can never be tagged: once the rest is, they move to the parked-CTR queue with their data so the range can go.
      for (const record of noCtrs) {
        await park(
          firstFailure({
            reason: 'not-a-ctr',
            detail: record.error,
            now: new Date(),
            source: { streamArn: info.streamArn, shardId: info.shardId, sequenceNumber: record.sequenceNumber },
            ctr: record.ctr,
            data: record.data,
          }),
        );
        recordsParked += 1;
      }
      await remove(urls.shardFailureQueueUrl, message);
      rangesRedriven += 1;
    } catch (error) {
      left.push({ queue: 'shard-failures', messageId: id, reason: describeError(error) });
    }
    bar.update(
      rangesRedriven + parkedTagged + left.length,
      undefined,
      `ranges redriven ${rangesRedriven}, left ${left.length}`,
    );
  }
  bar.done(
    `${dryRun ? 'dry run: ' : ''}${parkedTagged} parked CTRs, ${rangesRedriven} shard ranges (${recordsRead} records), ${left.length} left`,
  );
  return { dryRun, parkedTagged, rangesRedriven, recordsRead, recordsParked, left };
}

/** The command's main: testable with injected clients. */
export function main(deps: () => RedriveDependencies) {
  return async (values: OptionValues, io: CliIo): Promise<number> => {
    const envName = values.env as string;
    try {
      loadConfig(envName);
    } catch (error) {
      throw new CliError((error as Error).message);
    }
    const summary = await redrive(envName, values['dry-run'] === true, deps(), io);
    if (values.json) io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else {
      io.stdout.write(
        `${summary.dryRun ? 'Would re-process' : 'Re-processed'} ${summary.parkedTagged} parked CTRs and ${summary.rangesRedriven} shard ranges (${summary.recordsRead} records read back, ${summary.recordsParked} parked as no CTR); ${summary.left.length} messages left.\n`,
      );
      for (const l of summary.left) io.stdout.write(`  left in ${l.queue} ${l.messageId}: ${l.reason}\n`);
    }
    return summary.left.length > 0 ? 1 : 0;
  };
}

if (require.main === module) {
  exitWith(
    runCommand(
      SPEC,
      main(() => ({
        sqs: new SQSClient({}),
        kinesis: new KinesisClient({ requestHandler: new NodeHttpHandler() }),
        s3: new S3Client({}),
        outputs: cloudFormationOutputs(new CloudFormationClient({})),
      })),
    ),
  );
}
