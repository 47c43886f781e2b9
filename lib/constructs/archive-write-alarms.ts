import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { alarmOnAny } from './alarm-on-any';

/** Id of the recording bucket's request-metrics filter on the recordings prefix (the `FilterId` dimension). */
export const RECORDINGS_METRICS_FILTER_ID = 'recordings';

/** Props for {@link ArchiveWriteAlarms}. */
export interface ArchiveWriteAlarmsProps {
  /** The recording bucket, whose request-metrics filter {@link RECORDINGS_METRICS_FILTER_ID} covers the recordings prefix. */
  readonly bucket: s3.IBucket;
  /** Hours without a new object under the prefix before the silence alarm fires (1 to 168). */
  readonly silenceHours: number;
  /** Topic notified when an alarm is raised and when it clears. */
  readonly alarmTopic: sns.ITopic;
}

/**
 * Two alarms on S3's request metrics of the recordings prefix, so nothing stops silently: the
 * archive is silent (no PUT for `silenceHours`; no data counts as silence), and writes are
 * refused (any 4xx answer, such as a CIDR list or permission that denies Genesys).
 */
export class ArchiveWriteAlarms extends Construct {
  /** No new object under the recordings prefix for `silenceHours`. */
  readonly silenceAlarm: cloudwatch.Alarm;
  /** S3 answered a request under the recordings prefix with a 4xx. */
  readonly deniedWritesAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ArchiveWriteAlarmsProps) {
    super(scope, id);
    if (!Number.isInteger(props.silenceHours) || props.silenceHours < 1 || props.silenceHours > 168) {
      throw new Error(
        `ArchiveWriteAlarms: silenceHours ${props.silenceHours} must be a whole number of hours from 1 to 168 (CloudWatch evaluates at most 7 days).`,
      );
    }
    const dimensionsMap = { BucketName: props.bucket.bucketName, FilterId: RECORDINGS_METRICS_FILTER_ID };
    const action = new actions.SnsAction(props.alarmTopic);

    // Request metrics publish nothing for a period without requests: missing data is silence.
    this.silenceAlarm = new cloudwatch.Alarm(this, 'SilenceAlarm', {
      alarmDescription: `No recording reached the archive for ${props.silenceHours} hours: check the Genesys export policy, the integration's state and the denied-writes alarm (docs/alarms.md).`,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/S3',
        metricName: 'PutRequests',
        dimensionsMap,
        statistic: 'Sum',
        period: Duration.hours(props.silenceHours),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    this.silenceAlarm.addAlarmAction(action);
    this.silenceAlarm.addOkAction(action);

    this.deniedWritesAlarm = alarmOnAny(this, 'DeniedWritesAlarm', {
      description:
        'S3 refused a request under the recordings prefix (4xx): a wrong CIDR list, role permission or encryption header blocks Genesys exports; see docs/alarms.md.',
      metric: new cloudwatch.Metric({
        namespace: 'AWS/S3',
        metricName: '4xxErrors',
        dimensionsMap,
        statistic: 'Sum',
        period: Duration.minutes(5),
      }),
      topic: props.alarmTopic,
    });
  }
}
