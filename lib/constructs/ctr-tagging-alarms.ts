import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { alarmOnAny } from './alarm-on-any';

/** Props for {@link CtrTaggingAlarms}. */
export interface CtrTaggingAlarmsProps {
  /** The tagging function. */
  readonly tagger: lambda.IFunction;
  /** Its dead-letter queue. */
  readonly deadLetterQueue: sqs.IQueue;
  /** CTRs waiting for late recordings. */
  readonly retryQueue: sqs.IQueue;
  /** CTRs parked with their payload. */
  readonly parkedQueue: sqs.IQueue;
  /**
   * CTRs waiting on the retry queue that mean recordings reach S3 unusually late.
   * @default 100
   */
  readonly maxLateRecordings?: number;
  /** Topic every alarm notifies. */
  readonly alarmTopic: sns.ITopic;
  /**
   * Iterator age that means the function is falling behind the stream.
   * @default Duration.minutes(10)
   */
  readonly maxIteratorAge?: Duration;
}

/** Iterator age, dead-letter queue depth > 0 and function errors of the CTR tagger, to the alarm topic. */
export class CtrTaggingAlarms extends Construct {
  readonly iteratorAge: cloudwatch.Alarm;
  readonly deadLetters: cloudwatch.Alarm;
  readonly errors: cloudwatch.Alarm;
  readonly parkedCtrs: cloudwatch.Alarm;
  readonly lateRecordings: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: CtrTaggingAlarmsProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    const maxIteratorAge = props.maxIteratorAge ?? Duration.minutes(10);

    this.iteratorAge = new cloudwatch.Alarm(this, 'IteratorAge', {
      alarmDescription: `CTRs wait more than ${maxIteratorAge.toMinutes()} minutes for the tagging function: it is falling behind the stream.`,
      metric: props.tagger.metric('IteratorAge', { statistic: cloudwatch.Stats.MAXIMUM, period }),
      threshold: maxIteratorAge.toMilliseconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.deadLetters = alarmOnAny(this, 'DeadLetters', {
      description: 'CTR batches failed every retry and are in the dead-letter queue: their recordings are untagged.',
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        statistic: cloudwatch.Stats.MAXIMUM,
        period,
      }),
      topic: props.alarmTopic,
    });
    this.errors = alarmOnAny(this, 'Errors', {
      description: 'The tagging function failed whole invocations (every record failed, a timeout or a crash).',
      metric: props.tagger.metricErrors({ statistic: cloudwatch.Stats.SUM, period }),
      topic: props.alarmTopic,
    });
    this.parkedCtrs = alarmOnAny(this, 'ParkedCtrs', {
      description:
        'CTRs are parked in the parked-CTR queue with their payload: their recordings are untagged until the cause is fixed and ctr:redrive runs.',
      metric: props.parkedQueue.metricApproximateNumberOfMessagesVisible({
        statistic: cloudwatch.Stats.MAXIMUM,
        period,
      }),
      topic: props.alarmTopic,
    });
    const maxLate = props.maxLateRecordings ?? 100;
    // Delayed messages are not visible; the backlog is delayed + visible.
    const backlog = new cloudwatch.MathExpression({
      expression: 'delayed + visible',
      usingMetrics: {
        delayed: props.retryQueue.metric('ApproximateNumberOfMessagesDelayed', {
          statistic: cloudwatch.Stats.MAXIMUM,
          period,
        }),
        visible: props.retryQueue.metricApproximateNumberOfMessagesVisible({
          statistic: cloudwatch.Stats.MAXIMUM,
          period,
        }),
      },
      period,
      label: 'CTRs waiting for late recordings',
    });
    this.lateRecordings = new cloudwatch.Alarm(this, 'LateRecordings', {
      alarmDescription: `More than ${maxLate} CTRs wait on the retry queue for recordings that have not reached S3: Connect is writing recordings late, or elsewhere.`,
      metric: backlog,
      threshold: maxLate,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const action = new actions.SnsAction(props.alarmTopic);
    this.iteratorAge.addAlarmAction(action);
    this.iteratorAge.addOkAction(action);
    this.lateRecordings.addAlarmAction(action);
    this.lateRecordings.addOkAction(action);
  }
}
