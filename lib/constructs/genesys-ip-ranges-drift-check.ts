import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { alarmOnAny, dailyFunctionMetric } from './alarm-on-any';
import { DRIFT_METRIC, DriftCheckEvent } from '../../lambda/genesys-ip-ranges-drift/event';
import { genesysBaseUrls } from '../../lambda/shared/genesys/wire';
import { ArchiveFunction } from './archive-function';

/** Props for {@link GenesysIpRangesDriftCheck}. */
export interface GenesysIpRangesDriftCheckProps {
  /** Environment name (the metric's dimension). */
  readonly envName: string;
  /** AWS region of the Genesys organization; selects the API host. */
  readonly genesysRegion: string;
  /** Genesys `ipranges` services the committed list keeps. */
  readonly services: readonly string[];
  /** The CIDRs the bucket policy is deployed with. */
  readonly deployedCidrs: readonly string[];
  /** EventBridge schedule expression, e.g. `rate(1 day)`. */
  readonly schedule: string;
  /** Encrypts the function's logs and environment. */
  readonly operationsKey: kms.IKey;
  /** Topic the alarms notify. */
  readonly alarmTopic: sns.ITopic;
}

/**
 * A scheduled function that compares Genesys's live `ipranges` feed with the CIDRs the bucket
 * policy was deployed with, and two alarms: the lists differ, or the check itself failed.
 */
export class GenesysIpRangesDriftCheck extends Construct {
  readonly function: ArchiveFunction;
  readonly rule: events.Rule;
  /** In ALARM while the live feed differs from the deployed list. */
  readonly driftAlarm: cloudwatch.Alarm;
  /** In ALARM when the check could not run (feed unreachable, malformed). */
  readonly failureAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: GenesysIpRangesDriftCheckProps) {
    super(scope, id);
    if (props.deployedCidrs.length === 0) {
      throw new Error(
        'GenesysIpRangesDriftCheck: deployedCidrs is empty; give the CIDR list the bucket policy is deployed with.',
      );
    }

    this.function = new ArchiveFunction(this, 'Check', {
      failureHandling:
        'A failed scheduled run raises FailureAlarm and the next scheduled run repeats the check; the event holds nothing that a queue would need to keep.',
      entry: path.join(__dirname, '..', '..', 'lambda', 'genesys-ip-ranges-drift', 'handler.ts'),
      description: 'Compares the Genesys ipranges feed with the deployed CIDR list',
      timeout: Duration.minutes(2),
      key: props.operationsKey,
      reservedConcurrentExecutions: 1,
    });

    // The deployed list travels in the rule's input: no environment-variable size limit, visible in cdk diff.
    const input: DriftCheckEvent = {
      envName: props.envName,
      apiBaseUrl: genesysBaseUrls(props.genesysRegion).apiBaseUrl,
      services: [...props.services],
      deployedCidrs: [...props.deployedCidrs],
    };
    this.rule = new events.Rule(this, 'Schedule', {
      description: 'Runs the Genesys CIDR drift check',
      schedule: events.Schedule.expression(props.schedule),
      targets: [
        new targets.LambdaFunction(this.function.function, {
          event: events.RuleTargetInput.fromObject(input),
          retryAttempts: 2,
        }),
      ],
    });

    // IGNORE keeps the alarm in its state between checks, so drift stays visible until fixed.
    this.driftAlarm = alarmOnAny(this, 'DriftAlarm', {
      description: `Genesys ipranges differ from the CIDR list deployed for ${props.envName}; run npm run genesys:ip-ranges -- --env ${props.envName}, review and deploy.`,
      metric: dailyFunctionMetric({
        namespace: DRIFT_METRIC.namespace,
        metricName: DRIFT_METRIC.name,
        service: DRIFT_METRIC.service,
        envName: props.envName,
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      topic: props.alarmTopic,
      treatMissingData: cloudwatch.TreatMissingData.IGNORE,
    });
    this.failureAlarm = alarmOnAny(this, 'FailureAlarm', {
      description: `The Genesys CIDR drift check for ${props.envName} failed; read its log group.`,
      metric: this.function.function.metricErrors({ period: Duration.days(1), statistic: cloudwatch.Stats.SUM }),
      topic: props.alarmTopic,
    });
  }
}
