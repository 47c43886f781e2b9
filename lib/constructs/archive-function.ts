import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

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
 * with a set retention, and reserved concurrency.
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

    // Functions of this app talk only to AWS APIs and Genesys's public API; none reaches a VPC resource.
    for (const pack of ['HIPAA.Security', 'PCI.DSS.321', 'NIST.800.53.R5']) {
      Validations.of(this.function).acknowledge({
        id: `${pack}-LambdaInsideVPC`,
        reason: 'The function calls only AWS APIs and the Genesys public API; a VPC would add NAT cost without isolating anything.',
      });
    }
  }
}
