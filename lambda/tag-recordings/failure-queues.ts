import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { FailureMessage } from './failures';

/** Where CTRs that could not be tagged go: the retry queue (late recordings) or the parked-CTR queue. */
export interface FailureQueues {
  /** Hands a CTR whose recording is late to the retry queue, visible after `delaySeconds`. */
  retry(message: FailureMessage, delaySeconds: number): Promise<void>;
  /** Parks a CTR (or a record that is no CTR) in the parked-CTR dead-letter queue, payload included. */
  park(message: FailureMessage): Promise<void>;
}

/** Queue URLs of the two queues. */
export interface FailureQueueUrls {
  readonly retryQueueUrl: string;
  readonly parkedQueueUrl: string;
}

/** Reads RETRY_QUEUE_URL and PARKED_QUEUE_URL. */
export function readFailureQueueUrls(env: Readonly<Record<string, string | undefined>>): FailureQueueUrls {
  const get = (name: string) => {
    const value = env[name]?.trim();
    if (!value) throw new Error(`The environment variable ${name} is not set.`);
    return value;
  };
  return { retryQueueUrl: get('RETRY_QUEUE_URL'), parkedQueueUrl: get('PARKED_QUEUE_URL') };
}

function send(sqs: SQSClient, queueUrl: string, message: FailureMessage, delaySeconds?: number) {
  return sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrl,
      MessageBody: JSON.stringify(message),
      DelaySeconds: delaySeconds,
      // Shown by the console and `aws sqs receive-message` without parsing the body.
      MessageAttributes: {
        reason: { DataType: 'String', StringValue: message.reason },
        ...(message.plan ? { contactId: { DataType: 'String', StringValue: message.plan.contactId } } : {}),
      },
    }),
  );
}

/** The two queues over SQS. A failed send throws, so the record fails and nothing is lost. */
export function sqsFailureQueues(sqs: SQSClient, urls: FailureQueueUrls): FailureQueues {
  return {
    async retry(message, delaySeconds) {
      await send(sqs, urls.retryQueueUrl, message, delaySeconds);
    },
    async park(message) {
      await send(sqs, urls.parkedQueueUrl, message);
    },
  };
}
