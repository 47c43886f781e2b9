import { z } from 'zod';
import { cidrListRefusal } from './cidr-checks';
import { COMPLIANCE_PRESETS, S3_LIMITS } from './presets';
import { replicaNames } from './replica';
import { ArchiveConfig, EnvironmentConfigSchema } from './schema';
import { closest } from './suggest';

/** A configuration the app refuses; the message names the environment, the field and the fix. */
export class ConfigError extends Error {
  constructor(
    readonly envName: string,
    readonly field: string,
    problemAndFix: string,
    /** The file the field's value lives in (repository-relative). */
    readonly file: string = environmentFile(envName, field),
  ) {
    super(`Environment "${envName}", field "${field}": ${problemAndFix}`);
    this.name = 'ConfigError';
  }
}

/** Every problem of one environment's configuration, found in one run. */
export class ConfigErrors extends Error {
  constructor(
    readonly envName: string,
    readonly errors: readonly ConfigError[],
  ) {
    super(formatConfigErrors(envName, errors));
    this.name = 'ConfigErrors';
  }
}

/** The committed file of an environment that holds a field: the CIDR JSON for `genesys.allowedCidrs`, else the `.ts`. */
export function environmentFile(envName: string, field: string): string {
  return field === 'genesys.allowedCidrs' ||
    field.startsWith('genesys.allowedCidrs.') ||
    field.startsWith('genesys.allowedCidrs[')
    ? `lib/config/environments/${envName}.genesys-cidrs.json`
    : `lib/config/environments/${envName}.ts`;
}

/** The list `cdk synth` prints: one numbered line per problem, each naming its file. */
export function formatConfigErrors(envName: string, errors: readonly ConfigError[]): string {
  const count = errors.length === 1 ? '1 error' : `${errors.length} errors`;
  const lines = errors.map((e, i) => `  ${i + 1}. ${e.message}${e.message.includes(e.file) ? '' : ` (in ${e.file})`}`);
  return [
    `The configuration of environment "${envName}" has ${count}; fix ${errors.length === 1 ? 'it' : 'them'} and synthesize again:`,
    ...lines,
  ].join('\n');
}

/** Where each field of an environment is written, when it is not the default file (environments built from a shared base). */
export interface ResolveOptions {
  /** The file that holds the value at a field path. @default environmentFile */
  readonly fileOf?: (field: string) => string;
}

const KMS_KEY_ARN =
  /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

type Parsed = z.output<typeof EnvironmentConfigSchema>;
type Section = keyof Parsed;

/**
 * Parses one environment's committed object and refuses the traps of docs/design.md
 * (T1, T2, T3, T4, E1, E2, L1, L2, L3), each with one sentence naming the field and the fix.
 * Every problem is found in one run: one problem throws its {@link ConfigError}, several throw
 * {@link ConfigErrors} listing them all.
 */
export function resolveConfig(envName: string, input: unknown, options: ResolveOptions = {}): ArchiveConfig {
  const { config, errors } = checkConfig(envName, input, options);
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ConfigErrors(envName, errors);
  return config!;
}

/** Every problem of one environment's configuration, and the validated configuration when there is none. */
export function checkConfig(
  envName: string,
  input: unknown,
  options: ResolveOptions = {},
): { config?: ArchiveConfig; errors: ConfigError[] } {
  const fileOf = options.fileOf ?? ((field: string) => environmentFile(envName, field));
  const errors: ConfigError[] = [];
  const fail = (field: string, problemAndFix: string): void => {
    errors.push(new ConfigError(envName, field, problemAndFix, fileOf(field)));
  };

  // The schema, one top-level section at a time, so a mistake in one section does not hide the
  // refusals that need only the others.
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    fail('(root)', `the environment must be an object (got ${show(input)}); export one from ${fileOf('(root)')}.`);
    return { errors };
  }
  const raw = input as Record<string, unknown>;
  const shape = EnvironmentConfigSchema.shape;
  const data: Partial<Record<Section, unknown>> = {};
  const valid = new Set<Section>();
  const notes: SchemaNote[] = [];
  const note = ([field, text, kind]: IssueText) =>
    notes.push({ error: new ConfigError(envName, field, text, fileOf(field)), ...kind });
  for (const key of Object.keys(raw)) {
    if (!(key in shape)) note(unknownKey([], key, Object.keys(shape), fileOf));
  }
  for (const key of Object.keys(shape) as Section[]) {
    const result = (shape[key] as z.ZodType).safeParse(raw[key]);
    if (result.success) {
      data[key] = result.data;
      valid.add(key);
    } else {
      for (const issue of result.error.issues) {
        for (const described of describeIssue(issue, [key, ...issue.path], raw, fileOf)) note(described);
      }
    }
  }
  // A misspelt required field is one mistake: keep "unknown field x; did you mean y?", drop "y is missing".
  const dropped = new Set(notes.filter((n) => n.suggests !== undefined).map((n) => n.suggests));
  errors.push(...notes.filter((n) => !(n.missing && dropped.has(n.error.field))).map((n) => n.error));
  const ok = (...sections: Section[]) => sections.every((s) => valid.has(s));
  const c = data as Parsed;

  // Retention window: a preset, explicit days, or explicit days that lengthen a preset.
  let retentionDays: number | undefined;
  if (ok('compliance')) {
    const preset = c.compliance.preset ? COMPLIANCE_PRESETS[c.compliance.preset] : undefined;
    if (!preset && c.compliance.retentionDays === undefined) {
      fail(
        'compliance',
        "no retention window is set; set compliance.preset ('pci-dss', 'hipaa' or 'sec-17a-4') or compliance.retentionDays.",
      );
    } else if (
      preset &&
      c.compliance.retentionDays !== undefined &&
      c.compliance.retentionDays < preset.retentionDays
    ) {
      fail(
        'compliance.retentionDays',
        `${c.compliance.retentionDays} days undercuts the ${c.compliance.preset} window of ${preset.retentionDays} days; remove retentionDays or set it to at least ${preset.retentionDays}.`,
      );
    } else {
      retentionDays = c.compliance.retentionDays ?? preset!.retentionDays;
    }
  }
  const window = retentionDays !== undefined;

  // T1: versioning is always on, so noncurrent versions must always expire.
  if (ok('lifecycle')) {
    const noncurrent = c.lifecycle.noncurrentVersionExpirationDays;
    if (typeof noncurrent !== 'number' || !Number.isInteger(noncurrent) || noncurrent < 1) {
      fail(
        'lifecycle.noncurrentVersionExpirationDays',
        `noncurrent-version expiration cannot be turned off on a versioned bucket (got ${JSON.stringify(noncurrent)}), or deleted recordings would be kept and billed forever (T1); set it to a whole number of days, 1 or more.`,
      );
    }
  }

  // T2: only DUAL keeps the platform's native copy.
  if (ok('genesys') && c.genesys.storageMode !== 'DUAL') {
    fail(
      'genesys.storageMode',
      `'${c.genesys.storageMode}' is refused because only DUAL keeps Genesys's native copy while the archive receives its own, and a mode that deletes the native copy loses the recording if an export fails (T2); set storageMode to 'DUAL' or remove it.`,
    );
  }

  // T3: keys must be date-partitioned and unique per recording (the first missing token is named).
  if (ok('recordingKeyLayout')) {
    const layout = c.recordingKeyLayout;
    const missing = ['{yyyy}', '{mm}', '{dd}', '{conversationId}'].find((token) => !layout.includes(token));
    if (missing) {
      fail(
        'recordingKeyLayout',
        `'${layout}' lacks ${missing}, so keys would not be date-partitioned per conversation (T3), which breaks partition-wise integrity checks and S3's per-prefix request rates; use the Genesys export layout '{orgId}/year={yyyy}/month={mm}/day={dd}/hour={hh}/conversation_id={conversationId}/'.`,
      );
    }
  }

  // T4: the archive must keep recordings at least as long as the platform does.
  if (window && ok('genesys') && retentionDays! < c.genesys.platformRetentionDays) {
    fail(
      'compliance.retentionDays',
      `the S3 window of ${retentionDays} days undercuts the Genesys retention window of ${c.genesys.platformRetentionDays} days (T4); set compliance.retentionDays to at least ${c.genesys.platformRetentionDays} (the S3 window must equal, never undercut, the platform window).`,
    );
  }

  // T2 for the export policy: Genesys deletes its native copy at the platform window (T4 holds the S3
  // window to it), and never before a missing export could be noticed.
  const exportPolicy = ok('genesys', 'genesysIntegration') ? c.genesysIntegration?.exportPolicy : undefined;
  if (
    exportPolicy?.deleteNativeCopy &&
    c.genesys.platformRetentionDays * 24 <= c.genesysIntegration!.exportGraceHours
  ) {
    fail(
      'genesys.platformRetentionDays',
      `Genesys would delete its native copy after ${c.genesys.platformRetentionDays} days, before the integrity check reports a recording not exported after genesysIntegration.exportGraceHours (${c.genesysIntegration!.exportGraceHours} hours), so a failed export would lose the recording (T2); lengthen platformRetentionDays, shorten exportGraceHours, or set genesysIntegration.exportPolicy.deleteNativeCopy to false.`,
    );
  }

  // E1: Genesys writes into the archive bucket, which must be in the Genesys region; a copy in
  // another region is what replication is for.
  if (ok('region', 'genesys') && c.genesys.region !== c.region) {
    fail(
      'region',
      `the archive region ${c.region} differs from the Genesys region ${c.genesys.region}, so every export would leave the Genesys region (E1); deploy this environment in ${c.genesys.region}, and set replication to a bucket in ${c.region} if the recordings must also be kept there.`,
    );
  }
  // CIDR lists that would deny every export without a word (lib/config/cidr-checks.ts).
  if (ok('genesys')) {
    const cidrRefusal = cidrListRefusal({
      envName,
      file: fileOf('genesys.allowedCidrs'),
      genesysRegion: c.genesys.region,
      list: c.genesys.allowedCidrs,
    });
    if (cidrRefusal) fail(cidrRefusal.field, cidrRefusal.message);
  }

  if (ok('region', 'replication') && c.replication && c.replication.region === c.region) {
    fail(
      'replication.region',
      `the replica is in the archive's own region ${c.region}, which adds no regional copy; give a bucket in another region.`,
    );
  }

  // E2: keys are named by ARN; aliases resolve once and break on rotation or retargeting.
  if (ok('replication') && c.replication) {
    const { existingBucketArn, existingKmsKeyArn } = c.replication;
    if (existingBucketArn && existingKmsKeyArn === undefined) {
      fail(
        'replication.existingKmsKeyArn',
        `the existing replica bucket ${existingBucketArn} needs the ARN of the KMS key that encrypts its replicas; set replication.existingKmsKeyArn (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID).`,
      );
    }
    if (!existingBucketArn && existingKmsKeyArn !== undefined) {
      fail(
        'replication.existingKmsKeyArn',
        'a replica key is given without replication.existingBucketArn; remove it (the app-owned replica has its own key) or set existingBucketArn.',
      );
    }
    if (existingKmsKeyArn !== undefined) {
      const arn = existingKmsKeyArn;
      if (/(^alias\/)|(:alias\/)/.test(arn)) {
        fail(
          'replication.existingKmsKeyArn',
          `'${arn}' is a KMS alias, which is resolved once and breaks when the alias is retargeted (E2); give the full key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID).`,
        );
      } else if (!KMS_KEY_ARN.test(arn)) {
        fail(
          'replication.existingKmsKeyArn',
          `'${arn}' is not a KMS key ARN (E2); give the full key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID).`,
        );
      } else if (arn.split(':')[3] !== c.replication.region) {
        fail(
          'replication.existingKmsKeyArn',
          `the key is in ${arn.split(':')[3]} but the replica bucket is in ${c.replication.region}; give a key ARN in ${c.replication.region}.`,
        );
      }
    }
    if (!existingBucketArn) {
      const { bucketName } = replicaNames({ envName, account: c.account, replication: c.replication });
      if (bucketName.length > 63) {
        fail(
          'replication',
          `the app-owned replica bucket would be named ${bucketName}, longer than S3's 63 characters; use a shorter environment name or set replication.existingBucketArn.`,
        );
      }
    }
  }

  // L3: transitions in the order and spacing S3 accepts.
  if (ok('lifecycle')) {
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
    if (window && retentionDays! <= deepArchiveDays) {
      fail(
        'compliance.retentionDays',
        `the expiration at ${retentionDays} days is not after the last transition (DEEP_ARCHIVE at ${deepArchiveDays} days), which S3 rejects (L3); lower lifecycle.deepArchiveDays below ${retentionDays}.`,
      );
    }
  }

  // Retention classes: the default must exist; L1 every class fits inside the prefix-wide window.
  if (ok('retention')) {
    const classes = Object.entries(c.retention.classes);
    if (classes.length === 0) {
      fail('retention.classes', 'no retention class is defined; add at least one class such as { long: 90 }.');
    } else if (!(c.retention.defaultClass in c.retention.classes)) {
      fail(
        'retention.defaultClass',
        `'${c.retention.defaultClass}' is not one of the classes (${classes.map(([n]) => n).join(', ')}); set it to one of them.`,
      );
    }
    for (const [name, classDays] of classes) {
      if (window && classDays > retentionDays!) {
        fail(
          `retention.classes.${name}`,
          `${classDays} days is longer than the prefix-wide expiration of ${retentionDays} days, and S3 honors the shorter expiration, so this class could never apply (L1); lower it to at most ${retentionDays} or lengthen compliance.retentionDays.`,
        );
      }
    }

    // L2: every new version is stamped with the default retention before the lock function or the
    // tagger lengthens it to its own deletion day, so the default must lapse before the shortest class expires.
    const shortest = Math.min(...classes.map(([, d]) => d));
    if (ok('objectLock') && classes.length > 0 && c.objectLock.defaultRetentionDays > shortest) {
      fail(
        'objectLock.defaultRetentionDays',
        `${c.objectLock.defaultRetentionDays} days outlasts the shortest retention class (${shortest} days), and lifecycle cannot delete a locked version, so those recordings would not be deleted on time (L2); set it to at most ${shortest}.`,
      );
    }
  }

  // SEC 17a-4(f) needs non-erasable storage: COMPLIANCE mode. Each record is then locked until its
  // own deletion day by per-object retention (the lock function for Genesys exports, the tagger for
  // Connect classes), so the default retention only bridges the seconds until that runs and L2 above
  // is its only bound (asking it to cover the window contradicted L2 whenever a class was shorter).
  if (window && ok('objectLock') && c.compliance.preset === 'sec-17a-4') {
    if (c.objectLock.mode !== 'COMPLIANCE') {
      fail(
        'objectLock.mode',
        "sec-17a-4 requires non-erasable storage, which GOVERNANCE mode does not give; set objectLock.mode to 'COMPLIANCE'.",
      );
    }
  }

  if (errors.length > 0) return { errors };
  return {
    errors,
    config: {
      ...c,
      envName,
      compliance: { preset: c.compliance.preset, retentionDays: retentionDays! },
      lifecycle: {
        ...c.lifecycle,
        noncurrentVersionExpirationDays: c.lifecycle.noncurrentVersionExpirationDays as number,
      },
      terminationProtection: envName !== 'sample',
    },
  };
}

/** A field path as written in TypeScript: `genesys.allowedCidrs.cidrs[2]`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    '',
  );
}

/** A value as it would be written in the environment file. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `'${value}'`;
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path)
    v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/** A schema problem as `[field, problem and fix, what it says about other fields]`. */
type IssueText = [string, string, { readonly missing?: boolean; readonly suggests?: string }];

interface SchemaNote {
  readonly error: ConfigError;
  /** The field is required and absent. */
  readonly missing?: boolean;
  /** The field an unknown field is probably a misspelling of. */
  readonly suggests?: string;
}

function unknownKey(
  parent: readonly PropertyKey[],
  key: string,
  known: readonly string[],
  fileOf: (field: string) => string,
): IssueText {
  const field = fieldPath([...parent, key]);
  const file = fileOf(field);
  const best = closest(key, known);
  return best
    ? [
        field,
        `unknown field \`${key}\`; did you mean \`${best}\`? Rename it in ${file}.`,
        { suggests: fieldPath([...parent, best]) },
      ]
    : [
        field,
        `unknown field \`${key}\`; remove it from ${file} (the fields here are ${known.map((k) => `\`${k}\``).join(', ')}).`,
        {},
      ];
}

/** One zod issue as problems (an unknown-keys issue names each key). */
function describeIssue(
  issue: z.core.$ZodIssue,
  path: readonly PropertyKey[],
  root: unknown,
  fileOf: (field: string) => string,
): IssueText[] {
  if (issue.code === 'unrecognized_keys') {
    const known = objectKeysAt(EnvironmentConfigSchema, path);
    return issue.keys.map((key) => unknownKey(path, key, known, fileOf));
  }
  const field = fieldPath(path);
  const value = valueAt(root, path);
  const file = fileOf(field);
  if (value === undefined && issue.code === 'invalid_type') {
    return [
      [
        field,
        `is required but missing; add it (${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}) to ${file}.`,
        { missing: true },
      ],
    ];
  }
  let message = issue.message;
  if (issue.code === 'invalid_value') {
    const guess = typeof value === 'string' ? closest(value, issue.values.map(String)) : undefined;
    message = `must be one of ${issue.values.map((v) => show(v)).join(', ')}${guess ? `; did you mean '${guess}'?` : ''}`;
  } else if (issue.code === 'invalid_type')
    message = `must be ${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
  else if (issue.code === 'too_small' || issue.code === 'too_big') {
    const bound =
      issue.code === 'too_small'
        ? `${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}`
        : `${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}`;
    message = `must be ${bound}${issue.origin === 'array' ? ' entries' : issue.origin === 'string' ? ' characters' : ''}`;
  }
  const shown = show(value);
  const named = message.includes(shown) || (typeof value === 'string' && message.startsWith(value));
  const sentence = (
    named ? message : `${shown} ${/^(must|is) /.test(message) ? '' : 'is refused: '}${message}`
  ).replace(/[.;]$/, '');
  return [[field, sentence.endsWith('?') ? `${sentence} Fix it in ${file}.` : `${sentence}; fix it in ${file}.`, {}]];
}

/** The field names the schema allows in the object at `path` (for "did you mean"). */
function objectKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s: unknown = schema;
  const unwrap = (x: unknown): unknown => {
    for (let i = 0; i < 10; i++) {
      const def = (x as { _zod?: { def?: { type?: string; innerType?: unknown; in?: unknown } } })._zod?.def;
      if (def?.type === 'optional' || def?.type === 'default' || def?.type === 'nullable' || def?.type === 'prefault')
        x = def.innerType;
      else if (def?.type === 'pipe') x = def.in;
      else break;
    }
    return x;
  };
  for (const key of path) {
    s = unwrap(s);
    const def = (
      s as {
        _zod?: { def?: { type?: string; shape?: Record<string, unknown>; element?: unknown; valueType?: unknown } };
      }
    )._zod?.def;
    if (def?.type === 'object' && def.shape) s = def.shape[String(key)];
    else if (def?.type === 'array') s = def.element;
    else if (def?.type === 'record') s = def.valueType;
    else return [];
  }
  const def = (unwrap(s) as { _zod?: { def?: { type?: string; shape?: Record<string, unknown> } } })._zod?.def;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}
