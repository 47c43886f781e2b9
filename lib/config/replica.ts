/** What the replica's names are derived from. */
export interface ReplicaNameInput {
  readonly envName: string;
  readonly account: string;
  readonly replication?: {
    readonly region: string;
    readonly existingBucketArn?: string;
    readonly existingKmsKeyArn?: string;
  };
}

/** Where the archive replicates to: the app-owned replica stack's bucket and key, or an existing bucket. */
export interface ReplicaTarget {
  readonly region: string;
  /** Physical bucket name. */
  readonly bucketName: string;
  readonly bucketArn: string;
  /** Key ARN (existing bucket) or the app-owned key's alias ARN, as S3 replication accepts either. */
  readonly kmsKeyArn: string;
  /** Alias of the app-owned key; undefined for an existing bucket. */
  readonly keyAlias?: string;
  /** The app owns the replica (RecordingArchive-<env>-Replica). */
  readonly appOwned: boolean;
}

/**
 * Names of the app-owned replica, derived from the config so the archive stack can name them
 * without a cross-region reference: `recording-replica-<env>-<account>-<region>` and
 * `alias/recording-archive/<env>/replica`.
 */
export function replicaNames(config: ReplicaNameInput): { readonly bucketName: string; readonly keyAlias: string } {
  const region = config.replication?.region ?? '';
  return {
    bucketName: `recording-replica-${config.envName.toLowerCase()}-${config.account}-${region}`,
    keyAlias: `alias/recording-archive/${config.envName}/replica`,
  };
}

/** The replication target of an environment, or undefined when it does not replicate. */
export function replicaTarget(config: ReplicaNameInput): ReplicaTarget | undefined {
  const r = config.replication;
  if (!r) return undefined;
  if (r.existingBucketArn) {
    return {
      region: r.region,
      bucketName: r.existingBucketArn.split(':::')[1],
      bucketArn: r.existingBucketArn,
      kmsKeyArn: r.existingKmsKeyArn!,
      appOwned: false,
    };
  }
  const names = replicaNames(config);
  return {
    region: r.region,
    bucketName: names.bucketName,
    bucketArn: `arn:aws:s3:::${names.bucketName}`,
    kmsKeyArn: `arn:aws:kms:${r.region}:${config.account}:${names.keyAlias}`,
    keyAlias: names.keyAlias,
    appOwned: true,
  };
}
