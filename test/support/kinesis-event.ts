import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';

/** One record as GetRecords returns it. */
export interface StreamRecord {
  readonly SequenceNumber?: string;
  readonly PartitionKey?: string;
  readonly Data?: Uint8Array;
  readonly ApproximateArrivalTimestamp?: Date;
}

/** The event Lambda's event source mapping would hand the function for these records. */
export function kinesisEvent(
  records: readonly StreamRecord[],
  streamArn = 'arn:aws:kinesis:us-east-1:111111111111:stream/ctr',
): KinesisStreamEvent {
  return {
    Records: records.map((r): KinesisStreamRecord => ({
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `shardId-000000000000:${r.SequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::111111111111:role/tagger',
      awsRegion: 'us-east-1',
      eventSourceARN: streamArn,
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: r.PartitionKey ?? '',
        sequenceNumber: r.SequenceNumber ?? '',
        data: Buffer.from(r.Data ?? new Uint8Array()).toString('base64'),
        approximateArrivalTimestamp: (r.ApproximateArrivalTimestamp ?? new Date()).getTime() / 1000,
      },
    })),
  };
}

/** Records built directly from strings, numbered from 1, for tests that need no stream. */
export function kinesisEventOf(payloads: readonly string[]): KinesisStreamEvent {
  return kinesisEvent(
    payloads.map((p, i) => ({
      SequenceNumber: String(i + 1).padStart(20, '0'),
      PartitionKey: `pk-${i}`,
      Data: Buffer.from(p),
    })),
  );
}

/** A Lambda context for calling a handler directly. */
export function lambdaContext(functionName = 'tagger'): import('aws-lambda').Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:111111111111:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: 'test-request',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 300000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
