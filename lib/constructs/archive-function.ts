import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { acknowledge, acknowledgeEachPack, COMPLIANCE_PACKS } from './nag-findings';

/** Props for {@link ArchiveFunction}. */
export interface ArchiveFunctionProps {
  /** Absolute path of the handler module (`path.join(__dirname, ...)`). */
  readonly entry: string;
  /** What the function does, for the console and reviewers. */
  readonly description: string;
  /** @default Duration.minutes(1) */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default - none */
  readonly environment?: Record<string, string>;
  /**
   * How a failed invocation is caught and seen, in place of a Lambda dead-letter queue (one
   * sentence a reviewer can check; it is the reason of the LambdaDLQ acknowledgement).
   */
  readonly failureHandling: string;
  /** Key that encrypts the log group and the environment variables. */
  readonly key: kms.IKey;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Reserved concurrency; every function gets one so a runaway cannot starve the account.
   * @default 5
   */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * Every Lambda function of the app, with one set of defaults: Node.js 22 on arm64, bundled by
 * the local esbuild with source maps, X-Ray tracing, JSON logs into a KMS-encrypted log group
 * with a set retention, reserved concurrency, and a role that may write only to its own log
 * group (no AWS managed policy).
 */
export class ArchiveFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ArchiveFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry,
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout ?? Duration.minutes(1),
      memorySize: props.memorySize ?? 256,
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environmentEncryption: props.key,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions ?? 5,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: id,
        ...props.environment,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node22',
        forceDockerBundling: false,
        // The Node.js 22 runtime ships SDK v3, but bundling pins the version we test against.
        bundleAwsSDK: true,
      },
    });

    // Least privilege: AWSLambdaBasicExecutionRole may create log groups and write to all of
    // them; this role writes to its own log group only.
    const role = this.function.role as iam.Role;
    (role.node.defaultChild as iam.CfnRole).managedPolicyArns = [];
    this.logGroup.grantWrite(this.function);

    // The findings every function raises by these defaults, one acknowledgement each.
    acknowledgeEachPack(
      this.function,
      'LambdaInsideVPC',
      'The function calls only AWS APIs and the Genesys public API; a VPC would add NAT cost without isolating anything.',
    );
    acknowledge(
      this.function,
      ['AwsSolutions-L1'],
      'Node.js 22 is the runtime every function of this app is pinned to and tested on (ArchiveFunction); a newer runtime is one project-wide change.',
    );
    acknowledge(this.function, ['HIPAA.Security-LambdaDLQ', 'NIST.800.53.R5-LambdaDLQ'], props.failureHandling);
    acknowledge(
      this.defaultPolicy,
      ['AwsSolutions-IAM5[Resource::*]'],
      'Only the X-Ray statement uses "*": xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions; every other statement names its resource.',
    );
    acknowledge(
      this.defaultPolicy,
      COMPLIANCE_PACKS.map((p) => `${p}-IAMNoInlinePolicy`),
      "The inline policy belongs to this function's own role, is created and deleted with it, and is reviewed in the template; a managed policy would only add a separately attachable copy.",
    );
  }

  /** The L1 resource of the inline policy CDK grants this function's permissions into. */
  get defaultPolicy(): IConstruct {
    return this.function.role!.node.findChild('DefaultPolicy').node.defaultChild!;
  }
}
