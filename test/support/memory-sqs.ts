import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * SQS in memory, behind aws-sdk-client-mock on one client instance: no SQS emulator installs here
 * that speaks the SDK's current JSON protocol (sqslite on npm answers the older query protocol), so
 * SendMessage (DelaySeconds), ReceiveMessage (visibility timeout) and DeleteMessage are modelled on
 * a clock the test controls. Everything else the code under test sends throws.
 */
export interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string | undefined>>;
  visibleAt: number;
  receiveCount: number;
  receiptHandle?: string;
}

export interface MemorySqs {
  /** A client whose SendMessage, ReceiveMessage and DeleteMessage use the in-memory queues. */
  readonly client: SQSClient;
  /** Every message of a queue, visible or not. */
  messages(url: string): StoredMessage[];
  /** Bodies parsed as JSON, in send order. */
  bodies(url: string): Array<Record<string, unknown>>;
  /** Calls made, by command name. */
  readonly calls: Map<string, number>;
  /** Receives what is visible now, hands it to an SQS handler as Lambda's event source would, and deletes what succeeded. */
  deliver(
    url: string,
    handler: (event: SQSEvent) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>,
    batchSize?: number,
  ): Promise<number>;
}

export function queueArnOf(url: string): string {
  return `arn:aws:sqs:us-east-1:111111111111:${url.split('/').pop()}`;
}

/** Starts empty queues; `now()` in milliseconds decides which messages are visible. */
export function memorySqs(now: () => number): MemorySqs {
  const client = new SQSClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const mock = mockClient(client);
  const queues = new Map<string, StoredMessage[]>();
  const calls = new Map<string, number>();
  const count = (name: string) => calls.set(name, (calls.get(name) ?? 0) + 1);
  const queue = (url: string) => {
    let q = queues.get(url);
    if (!q) queues.set(url, (q = []));
    return q;
  };
  let sequence = 0;
  mock
    .on(SendMessageCommand)
    .callsFake(
      (input: {
        QueueUrl: string;
        MessageBody: string;
        DelaySeconds?: number;
        MessageAttributes?: Record<string, { StringValue?: string }>;
      }) => {
        count('SendMessage');
        if ((input.DelaySeconds ?? 0) > 900)
          throw Object.assign(new Error('DelaySeconds must be at most 900.'), { name: 'InvalidParameterValue' });
        const messageId = `m-${++sequence}`;
        const attributes = Object.fromEntries(
          Object.entries(input.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]),
        );
        queue(input.QueueUrl).push({
          messageId,
          body: input.MessageBody,
          attributes,
          visibleAt: now() + (input.DelaySeconds ?? 0) * 1000,
          receiveCount: 0,
        });
        return { MessageId: messageId };
      },
    );
  mock
    .on(ReceiveMessageCommand)
    .callsFake((input: { QueueUrl: string; MaxNumberOfMessages?: number; VisibilityTimeout?: number }) => {
      count('ReceiveMessage');
      const t = now();
      const visible = queue(input.QueueUrl)
        .filter((m) => m.visibleAt <= t)
        .slice(0, input.MaxNumberOfMessages ?? 1);
      for (const m of visible) {
        m.receiveCount += 1;
        m.receiptHandle = `${m.messageId}#${m.receiveCount}`;
        m.visibleAt = t + (input.VisibilityTimeout ?? 30) * 1000;
      }
      return {
        Messages: visible.map((m) => ({ MessageId: m.messageId, ReceiptHandle: m.receiptHandle, Body: m.body })),
      };
    });
  mock.on(DeleteMessageCommand).callsFake((input: { QueueUrl: string; ReceiptHandle: string }) => {
    count('DeleteMessage');
    const q = queue(input.QueueUrl);
    const i = q.findIndex((m) => m.receiptHandle === input.ReceiptHandle);
    if (i >= 0) q.splice(i, 1);
    return {};
  });

  return {
    client,
    calls,
    messages: (url) => [...queue(url)],
    bodies: (url) => queue(url).map((m) => JSON.parse(m.body) as Record<string, unknown>),
    async deliver(url, handler, batchSize = 10) {
      const t = now();
      const batch = queue(url)
        .filter((m) => m.visibleAt <= t)
        .slice(0, batchSize);
      if (batch.length === 0) return 0;
      for (const m of batch) {
        m.receiveCount += 1;
        m.visibleAt = t + 30_000;
      }
      const event: SQSEvent = {
        Records: batch.map((m): SQSRecord => ({
          messageId: m.messageId,
          receiptHandle: `${m.messageId}#${m.receiveCount}`,
          body: m.body,
          attributes: {
            ApproximateReceiveCount: String(m.receiveCount),
            SentTimestamp: String(t),
            SenderId: 'tagger',
            ApproximateFirstReceiveTimestamp: String(t),
          },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: queueArnOf(url),
          awsRegion: 'us-east-1',
        })),
      };
      const result = await handler(event);
      const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
      const q = queue(url);
      for (const m of batch) {
        if (failed.has(m.messageId)) continue;
        const i = q.indexOf(m);
        if (i >= 0) q.splice(i, 1);
      }
      return batch.length;
    },
  };
}
