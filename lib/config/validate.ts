import { COMPLIANCE_PRESETS, S3_LIMITS } from './presets';
import { ArchiveConfig, EnvironmentConfigSchema } from './schema';

/** A configuration the app refuses; the message names the environment, the field and the fix. */
export class ConfigError extends Error {
  constructor(
    readonly envName: string,
    readonly field: string,
    problemAndFix: string,
  ) {
    super(`Environment "${envName}", field "${field}": ${problemAndFix}`);
    this.name = 'ConfigError';
  }
}

const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * Parses one environment's committed object and refuses the traps of docs/design.md
 * (T1, T2, T3, T4, E1, E2, L1, L2, L3) with one sentence naming the field and the fix.
 */
export function resolveConfig(envName: string, input: unknown): ArchiveConfig {
  const parsed = EnvironmentConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || '(root)';
    throw new ConfigError(
      envName,
      field,
      `${issue.message}; fix it in lib/config/environments/${envName}.ts.`,
    );
  }
  const c = parsed.data;
  const fail = (field: string, problemAndFix: string): never => {
    throw new ConfigError(envName, field, problemAndFix);
  };

  // Retention window: a preset, explicit days, or explicit days that lengthen a preset.
  const preset = c.compliance.preset ? COMPLIANCE_PRESETS[c.compliance.preset] : undefined;
  if (!preset && c.compliance.retentionDays === undefined) {
    fail('compliance', "no retention window is set; set compliance.preset ('pci-dss', 'hipaa' or 'sec-17a-4') or compliance.retentionDays.");
  }
  if (preset && c.compliance.retentionDays !== undefined && c.compliance.retentionDays < preset.retentionDays) {
    fail(
      'compliance.retentionDays',
      `${c.compliance.retentionDays} days undercuts the ${c.compliance.preset} window of ${preset.retentionDays} days; remove retentionDays or set it to at least ${preset.retentionDays}.`,
    );
  }
  const retentionDays = c.compliance.retentionDays ?? preset!.retentionDays;

  // T1: versioning is always on, so noncurrent versions must always expire.
  const noncurrent = c.lifecycle.noncurrentVersionExpirationDays;
  if (typeof noncurrent !== 'number' || !Number.isInteger(noncurrent) || noncurrent < 1) {
    fail(
      'lifecycle.noncurrentVersionExpirationDays',
      `noncurrent-version expiration cannot be turned off on a versioned bucket (got ${JSON.stringify(noncurrent)}), or deleted recordings would be kept and billed forever (T1); set it to a whole number of days, 1 or more.`,
    );
  }
  const noncurrentDays = noncurrent as number;

  // T2: only DUAL keeps the platform's native copy.
  if (c.genesys.storageMode !== 'DUAL') {
    fail(
      'genesys.storageMode',
      `'${c.genesys.storageMode}' is refused because only DUAL keeps Genesys's native copy while the archive receives its own, and a mode that deletes the native copy loses the recording if an export fails (T2); set storageMode to 'DUAL' or remove it.`,
    );
  }

  // T3: keys must be date-partitioned and unique per recording.
  const layout = c.recordingKeyLayout;
  for (const token of ['{yyyy}', '{mm}', '{dd}', '{conversationId}']) {
    if (!layout.includes(token)) {
      fail(
        'recordingKeyLayout',
        `'${layout}' lacks ${token}, so keys would not be date-partitioned per conversation (T3), which breaks partition-wise integrity checks and S3's per-prefix request rates; use the Genesys export layout '{orgId}/year={yyyy}/month={mm}/day={dd}/hour={hh}/conversation_id={conversationId}/'.`,
      );
    }
  }

  // T4: the archive must keep recordings at least as long as the platform does.
  if (retentionDays < c.genesys.platformRetentionDays) {
    fail(
      'compliance.retentionDays',
      `the S3 window of ${retentionDays} days undercuts the Genesys retention window of ${c.genesys.platformRetentionDays} days (T4); set compliance.retentionDays to at least ${c.genesys.platformRetentionDays} (the S3 window must equal, never undercut, the platform window).`,
    );
  }

  // E1: Genesys writes into the archive bucket, which must be in the Genesys region; a copy in
  // another region is what replication is for.
  if (c.genesys.region !== c.region) {
    fail(
      'region',
      `the archive region ${c.region} differs from the Genesys region ${c.genesys.region}, so every export would leave the Genesys region (E1); deploy this environment in ${c.genesys.region}, and set replication to a bucket in ${c.region} if the recordings must also be kept there.`,
    );
  }
  if (c.replication && c.replication.region === c.region) {
    fail(
      'replication.region',
      `the replica is in the archive's own region ${c.region}, which adds no regional copy; give a bucket in another region.`,
    );
  }

  // E2: keys are named by ARN; aliases resolve once and break on rotation or retargeting.
  if (c.replication) {
    const arn = c.replication.kmsKeyArn;
    if (/(^alias\/)|(:alias\/)/.test(arn)) {
      fail(
        'replication.kmsKeyArn',
        `'${arn}' is a KMS alias, which is resolved once and breaks when the alias is retargeted (E2); give the full key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID).`,
      );
    }
    if (!KMS_KEY_ARN.test(arn)) {
      fail('replication.kmsKeyArn', `'${arn}' is not a KMS key ARN (E2); give the full key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID).`);
    }
    if (arn.split(':')[3] !== c.replication.region) {
      fail('replication.kmsKeyArn', `the key is in ${arn.split(':')[3]} but the replica bucket is in ${c.replication.region}; give a key ARN in ${c.replication.region}.`);
    }
  }

  // L3: transitions in the order and spacing S3 accepts.
  const { standardIaDays, glacierDays, deepArchiveDays } = c.lifecycle;
  if (standardIaDays < S3_LIMITS.minDaysBeforeStandardIa) {
    fail(
      'lifecycle.standardIaDays',
      `${standardIaDays} days is refused because S3 keeps objects at least ${S3_LIMITS.minDaysBeforeStandardIa} days in STANDARD before STANDARD_IA (L3); set it to ${S3_LIMITS.minDaysBeforeStandardIa} or more.`,
    );
  }
  if (glacierDays < standardIaDays + S3_LIMITS.minDaysInStandardIa) {
    fail(
      'lifecycle.glacierDays',
      `${glacierDays} days is refused because S3 needs ${S3_LIMITS.minDaysInStandardIa} days in STANDARD_IA before GLACIER (L3); set it to at least ${standardIaDays + S3_LIMITS.minDaysInStandardIa}.`,
    );
  }
  if (deepArchiveDays <= glacierDays) {
    fail(
      'lifecycle.deepArchiveDays',
      `${deepArchiveDays} days must come after the GLACIER transition at ${glacierDays} days (L3); set it above ${glacierDays}.`,
    );
  }
  if (retentionDays <= deepArchiveDays) {
    fail(
      'compliance.retentionDays',
      `the expiration at ${retentionDays} days is not after the last transition (DEEP_ARCHIVE at ${deepArchiveDays} days), which S3 rejects (L3); lower lifecycle.deepArchiveDays below ${retentionDays}.`,
    );
  }

  // Retention classes: the default must exist; L1 every class fits inside the prefix-wide window.
  const classes = Object.entries(c.retention.classes);
  if (classes.length === 0) {
    fail('retention.classes', 'no retention class is defined; add at least one class such as { long: 90 }.');
  }
  if (!(c.retention.defaultClass in c.retention.classes)) {
    fail(
      'retention.defaultClass',
      `'${c.retention.defaultClass}' is not one of the classes (${classes.map(([n]) => n).join(', ')}); set it to one of them.`,
    );
  }
  for (const [name, classDays] of classes) {
    if (classDays > retentionDays) {
      fail(
        `retention.classes.${name}`,
        `${classDays} days is longer than the prefix-wide expiration of ${retentionDays} days, and S3 honors the shorter expiration, so this class could never apply (L1); lower it to at most ${retentionDays} or lengthen compliance.retentionDays.`,
      );
    }
  }

  // L2: locked versions cannot be deleted, so the lock must lapse before the shortest class expires.
  const shortest = Math.min(...classes.map(([, d]) => d));
  if (c.objectLock.defaultRetentionDays > shortest) {
    fail(
      'objectLock.defaultRetentionDays',
      `${c.objectLock.defaultRetentionDays} days outlasts the shortest retention class (${shortest} days), and lifecycle cannot delete a locked version, so those recordings would not be deleted on time (L2); set it to at most ${shortest}.`,
    );
  }

  // SEC 17a-4(f) needs non-erasable storage for the whole window.
  if (c.compliance.preset === 'sec-17a-4') {
    if (c.objectLock.mode !== 'COMPLIANCE') {
      fail('objectLock.mode', "sec-17a-4 requires non-erasable storage, which GOVERNANCE mode does not give; set objectLock.mode to 'COMPLIANCE'.");
    }
    if (c.objectLock.defaultRetentionDays !== retentionDays) {
      fail(
        'objectLock.defaultRetentionDays',
        `sec-17a-4 requires every record to be locked for the whole window; set objectLock.defaultRetentionDays to ${retentionDays}.`,
      );
    }
  }

  return {
    ...c,
    envName,
    compliance: { preset: c.compliance.preset, retentionDays },
    lifecycle: { ...c.lifecycle, noncurrentVersionExpirationDays: noncurrentDays },
    terminationProtection: envName !== 'sample',
  };
}
