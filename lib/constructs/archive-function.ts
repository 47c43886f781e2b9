import {
  AssetHashType,
  BundlingOptions,
  DockerImage,
  Duration,
  ILocalBundling,
  RemovalPolicy,
  Stack,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import * as fs from 'fs';
import * as path from 'path';
import { bundleHash, functionBundle, PROJECT_ROOT, validateEntry } from '../bundling/function-bundles';
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
 * the local esbuild (one build for all functions, see `lib/bundling/function-bundles.ts`) with
 * a source map beside the bundle, X-Ray tracing, JSON logs into a KMS-encrypted log group
 * with a set retention, reserved concurrency, and a role that may write only to its own log
 * group (no AWS managed policy).
 */
export class ArchiveFunction extends Construct {
  readonly function: lambda.Function;
  readonly logGroup: logs.LogGroup;
  /** The handler module the function's bundle is built from. */
  readonly entry: string;

  constructor(scope: Construct, id: string, props: ArchiveFunctionProps) {
    super(scope, id);
    this.entry = props.entry;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.function = new lambda.Function(this, 'Function', {
      code: bundledCode(scope, props.entry),
      handler: 'index.handler',
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

/**
 * The function's code asset: CDK's own bundling (so `cdk synth --exclusively` and the tests'
 * `aws:cdk:bundling-stacks` skip it), with the shared esbuild build in place of a bundler process
 * per function. The asset hash is the hash of the output. Where the stack is bundled it is given
 * to CDK up front (the bundle is in memory or in the synth cache already), so a synth into a
 * `cdk.out` that holds the asset from the last one writes nothing: CDK bundles only into an asset
 * folder that is not there yet.
 */
function bundledCode(scope: IConstruct, entry: string): lambda.Code {
  validateEntry(entry);
  const bundling: BundlingOptions = {
    // Never run: local bundling always succeeds or throws. CDK requires an image to be named.
    image: DockerImage.fromRegistry('local-esbuild-only'),
    local: new SharedEsbuildBundling(entry),
  };
  if (!Stack.of(scope).bundlingRequired)
    return lambda.Code.fromAsset(path.dirname(entry), { assetHashType: AssetHashType.OUTPUT, bundling });
  return lambda.Code.fromAsset(path.dirname(entry), {
    assetHashType: AssetHashType.CUSTOM,
    assetHash: bundleHash(entry),
    bundling,
  });
}

class SharedEsbuildBundling implements ILocalBundling {
  /** Part of the asset's cache key: two entries of one directory are two assets. */
  readonly entry: string;
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
    this.entry = path.relative(PROJECT_ROOT, file);
  }

  tryBundle(outputDir: string): boolean {
    for (const [name, contents] of functionBundle(this.#file)) fs.writeFileSync(path.join(outputDir, name), contents);
    return true;
  }
}
