import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** Props for {@link alarmOnAny}. */
export interface AlarmOnAnyProps {
  /** What the alarm means and what to do, one sentence (shown in the notification). */
  readonly description: string;
  /** A count: one datapoint of 1 or more raises the alarm. */
  readonly metric: cloudwatch.IMetric;
  /** Topic notified when the alarm is raised and when it clears. */
  readonly topic: sns.ITopic;
  /**
   * What a period without data means.
   * @default cloudwatch.TreatMissingData.NOT_BREACHING
   */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
}

/** An alarm raised by any occurrence (count >= 1 in one period), notifying the topic on alarm and on recovery. */
export function alarmOnAny(scope: Construct, id: string, props: AlarmOnAnyProps): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmDescription: props.description,
    metric: props.metric,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: props.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const action = new actions.SnsAction(props.topic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}

/** A metric our functions publish in embedded metric format, with their standard dimensions. */
export interface FunctionMetricProps {
  readonly namespace: string;
  readonly metricName: string;
  /** Powertools service name (the `service` dimension). */
  readonly service: string;
  /** Environment name (the `Environment` dimension). */
  readonly envName: string;
  readonly statistic: string;
}

/** One day's datapoint of a metric published by one of the app's functions. */
export function dailyFunctionMetric(props: FunctionMetricProps): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: props.namespace,
    metricName: props.metricName,
    dimensionsMap: { Environment: props.envName, service: props.service },
    statistic: props.statistic,
    period: Duration.days(1),
  });
}
