import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { namedQueries } from '../athena/named-queries';
import { INVENTORY_ID, INVENTORY_PREFIX } from './recording-inventory';

/** Prefix of Athena query results in the results bucket. */
export const ATHENA_RESULTS_PREFIX = 'athena-results/';
/** Lifecycle rule that expires Athena results. */
export const ATHENA_RESULTS_LIFECYCLE_RULE_ID = 'athena-results-expiry';
/** Glue table over the Genesys `_metadata.json` sidecars. */
export const SIDECAR_TABLE = 'recording_sidecars';
/** Glue table over the daily S3 Inventory (lib/athena/recording-inventory-table.sql). */
export const INVENTORY_TABLE = 'recording_inventory';

/**
 * Columns of the sidecar table. Genesys publishes `mediaType`, `mediaSubtype`, `provider` and
 * `userIds` ("Working with exported recordings in AWS S3 bucket"); `queueIds` is ASSUMED (the
 * full sidecar schema is not public): a sidecar without it gives NULL, never an error.
 */
export const SIDECAR_COLUMNS: readonly glue.CfnTable.ColumnProperty[] = [
  { name: 'mediatype', type: 'string', comment: 'Call, Chat, Email, Message, Callback or Screen (Genesys)' },
  { name: 'mediasubtype', type: 'string', comment: 'Trunk, Station, Consult or Screen (Genesys)' },
  { name: 'provider', type: 'string', comment: 'Recording provider, e.g. edge (Genesys)' },
  { name: 'userids', type: 'array<string>', comment: 'Users (agents) of the recording (Genesys)' },
  { name: 'queueids', type: 'array<string>', comment: 'Queues of the conversation (ASSUMED field name)' },
];

/** The Glue database and Athena workgroup names of an environment (also what `npm run archive -- search` uses). */
export function searchNames(envName: string): { readonly databaseName: string; readonly workGroupName: string } {
  return {
    databaseName: `recording_archive_${envName.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`,
    workGroupName: `recording-archive-${envName}`,
  };
}

/** Props for {@link RecordingSearch}. */
export interface RecordingSearchProps {
  /** Environment name: part of the database and workgroup names. */
  readonly envName: string;
  /** The archive bucket (sidecars under the recordings prefix). */
  readonly bucket: s3.IBucket;
  /** Prefix of every recording, ending with `/`. */
  readonly recordingsPrefix: string;
  /** Genesys organization id: the first segment of the export layout. */
  readonly organizationId: string;
  /** Bucket for query results and where the S3 Inventory is delivered (the access-log bucket). */
  readonly resultsBucket: s3.Bucket;
  /** Key that encrypts query results (SSE-KMS). */
  readonly resultsKey: kms.IKey;
  /** Days query results are kept. */
  readonly resultsExpirationDays: number;
  /** First year partition projection enumerates. */
  readonly firstYear: number;
}

/**
 * Athena search over the archive: a Glue database with a table over the Genesys sidecars
 * (partition projection over `{org}/year=/month=/day=/hour=`, so no crawler and no MSCK REPAIR)
 * and one over the daily inventory, a workgroup that enforces SSE-KMS results under
 * `athena-results/` with their own expiry, and the named queries of lib/athena/search/.
 */
export class RecordingSearch extends Construct {
  readonly databaseName: string;
  readonly workGroupName: string;

  constructor(scope: Construct, id: string, props: RecordingSearchProps) {
    super(scope, id);
    const stack = Stack.of(this);
    ({ databaseName: this.databaseName, workGroupName: this.workGroupName } = searchNames(props.envName));

    // Catalog: database and tables are metadata only, but queries and named queries depend on them.
    const database = new glue.CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: {
        name: this.databaseName,
        description: 'Call-recording archive: Genesys sidecars and S3 Inventory',
      },
    });
    database.applyRemovalPolicy(RemovalPolicy.RETAIN);

    const two = (name: string, range: string) => ({
      [`projection.${name}.type`]: 'integer',
      [`projection.${name}.range`]: range,
      [`projection.${name}.digits`]: '2',
    });
    const sidecars = new glue.CfnTable(this, 'SidecarTable', {
      catalogId: stack.account,
      databaseName: this.databaseName,
      tableInput: {
        name: SIDECAR_TABLE,
        description: 'Genesys _metadata.json sidecars, one row per exported recording',
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: ['org', 'year', 'month', 'day', 'hour'].map((name) => ({ name, type: 'string' })),
        parameters: {
          classification: 'json',
          'projection.enabled': 'true',
          'projection.org.type': 'enum',
          'projection.org.values': props.organizationId,
          'projection.year.type': 'integer',
          'projection.year.range': `${props.firstYear},2100`,
          ...two('month', '1,12'),
          ...two('day', '1,31'),
          ...two('hour', '0,23'),
          // The Genesys export layout under the prefix; each conversation is a folder below the hour.
          'storage.location.template': `s3://${props.bucket.bucketName}/${props.recordingsPrefix}\${org}/year=\${year}/month=\${month}/day=\${day}/hour=\${hour}/`,
        },
        storageDescriptor: {
          location: `s3://${props.bucket.bucketName}/${props.recordingsPrefix}`,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          // Recordings share the folders with their sidecars: non-JSON lines give NULL rows, which
          // every named query drops by keeping `_metadata.json` paths only.
          serdeInfo: {
            serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
            parameters: { 'ignore.malformed.json': 'true', 'case.insensitive': 'true' },
          },
          columns: [...SIDECAR_COLUMNS],
        },
      },
    });
    sidecars.addResourceDependency(database);
    sidecars.applyRemovalPolicy(RemovalPolicy.RETAIN);

    const inventory = new glue.CfnTable(this, 'InventoryTable', {
      catalogId: stack.account,
      databaseName: this.databaseName,
      tableInput: {
        name: INVENTORY_TABLE,
        description: 'Daily S3 Inventory of the recordings prefix, every version (Parquet)',
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [{ name: 'dt', type: 'string' }],
        parameters: {
          'projection.enabled': 'true',
          'projection.dt.type': 'date',
          'projection.dt.format': 'yyyy-MM-dd-HH-mm',
          'projection.dt.range': `${props.firstYear}-01-01-00-00,NOW`,
          'projection.dt.interval': '1',
          'projection.dt.interval.unit': 'HOURS',
        },
        storageDescriptor: {
          location: `s3://${props.resultsBucket.bucketName}/${INVENTORY_PREFIX}/${props.bucket.bucketName}/${INVENTORY_ID}/hive/`,
          inputFormat: 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.IgnoreKeyTextOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
          columns: [
            ['bucket', 'string'],
            ['key', 'string'],
            ['version_id', 'string'],
            ['is_latest', 'boolean'],
            ['is_delete_marker', 'boolean'],
            ['size', 'bigint'],
            ['last_modified_date', 'timestamp'],
            ['e_tag', 'string'],
            ['storage_class', 'string'],
            ['encryption_status', 'string'],
            ['bucket_key_status', 'string'],
            ['object_lock_retain_until_date', 'timestamp'],
            ['object_lock_mode', 'string'],
            ['object_lock_legal_hold_status', 'string'],
            ['lifecycle_expiration_date', 'timestamp'],
          ].map(([name, type]) => ({ name, type })),
        },
      },
    });
    inventory.addResourceDependency(database);
    inventory.applyRemovalPolicy(RemovalPolicy.RETAIN);

    // Workgroup: results SSE-KMS under their own prefix, the settings enforced on every query.
    const workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: this.workGroupName,
      description: 'Searches of the call-recording archive',
      state: 'ENABLED',
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${props.resultsBucket.bucketName}/${ATHENA_RESULTS_PREFIX}`,
          expectedBucketOwner: stack.account,
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: props.resultsKey.keyArn },
        },
      },
    });
    workGroup.applyRemovalPolicy(RemovalPolicy.RETAIN);
    props.resultsBucket.addLifecycleRule({
      id: ATHENA_RESULTS_LIFECYCLE_RULE_ID,
      prefix: ATHENA_RESULTS_PREFIX,
      expiration: Duration.days(props.resultsExpirationDays),
      noncurrentVersionExpiration: Duration.days(1),
    });

    for (const query of namedQueries()) {
      const named = new athena.CfnNamedQuery(this, `Query-${query.name}`, {
        name: query.name,
        description: `${query.description} Parameters: ${query.params.join(', ')}.`.slice(0, 1024),
        database: this.databaseName,
        workGroup: this.workGroupName,
        queryString: query.sql,
      });
      named.addResourceDependency(workGroup);
      named.addResourceDependency(database);
    }
  }
}
