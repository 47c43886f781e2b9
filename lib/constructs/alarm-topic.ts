import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** Props for {@link AlarmTopic}. */
export interface AlarmTopicProps {
  /** Key that encrypts the topic; CloudWatch is allowed to use it to publish alarms. */
  readonly key: kms.IKey;
  /**
   * Email addresses subscribed to every alarm.
   * @default - no subscription
   */
  readonly emails?: readonly string[];
}

/** The environment's one SNS topic for alarms and findings: KMS-encrypted, TLS-only. */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'recording-archive alarms',
      masterKey: props.key,
      enforceSSL: true,
    });
    // The topic policy that enforceSSL writes replaces SNS's default policy, so CloudWatch alarms
    // of this account may publish only through this statement.
    const { account, region, partition } = Stack.of(this);
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
        },
      }),
    );
    for (const email of props.emails ?? []) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
  }
}
