import { Finding } from './findings';

/** What a ListObjectsV2 page says about one object (no encryption, no tags). */
export interface ListedObject {
  readonly key: string;
  readonly lastModified: Date;
  readonly size: number;
  readonly storageClass?: string;
}

/** What a HeadObject says about encryption. */
export interface EncryptionDetails {
  /** `x-amz-server-side-encryption`: `aws:kms`, `aws:kms:dsse`, `AES256` or absent. */
  readonly serverSideEncryption?: string;
  /** `x-amz-server-side-encryption-aws-kms-key-id`: the key ARN for SSE-KMS. */
  readonly kmsKeyId?: string;
}

/** One enabled lifecycle expiration of the live bucket configuration. */
export interface ExpirationRule {
  readonly id: string;
  /** Key prefix the rule applies to ('' for the whole bucket). */
  readonly prefix: string;
  /** Tags an object must carry for the rule to apply (empty: every object under the prefix). */
  readonly tags: Readonly<Record<string, string>>;
  /** Expiration in days after creation. */
  readonly days?: number;
  /** Expiration at a fixed date. */
  readonly date?: Date;
  /** The rule applies only to objects larger than this many bytes (S3's `ObjectSizeGreaterThan`). */
  readonly objectSizeGreaterThan?: number;
  /** The rule applies only to objects smaller than this many bytes (S3's `ObjectSizeLessThan`). */
  readonly objectSizeLessThan?: number;
}

const SIDECAR_SUFFIX = '_metadata.json';
const DAY_MS = 24 * 60 * 60 * 1000;

/** A key of the Genesys export layout: the recording or its sidecar, and the pair they belong to. */
export interface ExportedKey {
  readonly role: 'recording' | 'sidecar';
  /** Conversation folder (everything before the file name, with the trailing `/`). */
  readonly folder: string;
  readonly recordingId: string;
}

/**
 * Reads a key of the export layout: `{folder}/{recordingId}_metadata.json` is a sidecar, any
 * other file `{folder}/{recordingId}[.ext]` is a recording; folder markers (`.../`) are neither.
 */
export function parseExportedKey(key: string): ExportedKey | undefined {
  const slash = key.lastIndexOf('/');
  const file = key.slice(slash + 1);
  if (file === '') return undefined;
  const folder = key.slice(0, slash + 1);
  if (file.endsWith(SIDECAR_SUFFIX)) {
    return { role: 'sidecar', folder, recordingId: file.slice(0, -SIDECAR_SUFFIX.length) };
  }
  const dot = file.indexOf('.');
  return { role: 'recording', folder, recordingId: dot === -1 ? file : file.slice(0, dot) };
}

/**
 * Pairs recordings with their sidecars as a listing arrives in S3's key order, keeping only the
 * unmatched ones in memory. A key of a folder is final once the listing has moved past every key
 * under that folder (keys sharing a prefix are contiguous), so `add` settles those as findings at
 * once and only the current folder's unmatched keys stay pending: they are what a paused
 * partition carries to the next invocation (`pending`, then the constructor).
 */
export class SidecarPairing {
  private readonly unmatched = new Map<string, { role: ExportedKey['role']; key: string; folder: string }>();
  private lastFolder?: string;
  /** Recording and sidecar keys seen (restored pending keys are not counted again). */
  pointers = 0;

  constructor(pending: readonly string[] = []) {
    for (const key of pending) this.remember(key);
  }

  /** Adds the next key of the listing; returns the findings of folders the listing has now left. */
  add(key: string): Finding[] {
    const parsed = parseExportedKey(key);
    if (!parsed) return [];
    const settled = parsed.folder === this.lastFolder ? [] : this.settle(key);
    this.lastFolder = parsed.folder;
    this.pointers += 1;
    this.remember(key);
    return settled;
  }

  /** Unmatched keys that a later key of the listing may still match, in key order. */
  pending(): string[] {
    return [...this.unmatched.values()].map((entry) => entry.key).sort(binaryOrder);
  }

  /** One finding per recording without a sidecar and per sidecar without a recording (the end of the listing). */
  findings(): Finding[] {
    const all = [...this.unmatched.values()].map(toFinding);
    this.unmatched.clear();
    return all;
  }

  private remember(key: string): void {
    const parsed = parseExportedKey(key);
    if (!parsed) return;
    const pair = `${parsed.folder}${parsed.recordingId}`;
    const other = this.unmatched.get(pair);
    if (other && other.role !== parsed.role) {
      this.unmatched.delete(pair);
    } else if (!other) {
      this.unmatched.set(pair, { role: parsed.role, key, folder: parsed.folder });
    }
  }

  /** Removes and returns the unmatched keys of folders that `key` is not under (the listing has left them). */
  private settle(key: string): Finding[] {
    const settled: Finding[] = [];
    for (const [pair, entry] of this.unmatched) {
      if (key.startsWith(entry.folder)) continue;
      this.unmatched.delete(pair);
      settled.push(toFinding(entry));
    }
    return settled;
  }
}

function toFinding({ role, key }: { role: ExportedKey['role']; key: string }): Finding {
  return role === 'recording'
    ? {
        type: 'RecordingWithoutSidecar',
        key,
        detail: 'The recording has no _metadata.json sidecar in its conversation folder.',
      }
    : {
        type: 'SidecarWithoutRecording',
        key,
        detail: 'The sidecar names a recording that is not in its conversation folder.',
      };
}

/** S3's key order (UTF-8 bytes), which differs from JavaScript's UTF-16 order for some characters. */
export function binaryOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * T4 on live data: the earliest expiration the live lifecycle rules give an untagged object,
 * compared with the day the platform's own retention ends for it. Tag-filtered rules are
 * skipped because listings carry no tags and Genesys exports untagged objects; size-filtered
 * rules apply only to objects whose listed size is inside their bounds.
 */
export function expirationFinding(
  object: ListedObject,
  rules: readonly ExpirationRule[],
  platformRetentionDays: number,
): Finding | undefined {
  const platformEnds = object.lastModified.getTime() + platformRetentionDays * DAY_MS;
  let earliest: { at: number; rule: ExpirationRule } | undefined;
  for (const rule of rules) {
    if (!object.key.startsWith(rule.prefix) || Object.keys(rule.tags).length > 0) continue;
    // S3's size bounds are exclusive; a rule outside them does not touch the object.
    if (rule.objectSizeGreaterThan !== undefined && !(object.size > rule.objectSizeGreaterThan)) continue;
    if (rule.objectSizeLessThan !== undefined && !(object.size < rule.objectSizeLessThan)) continue;
    const at = rule.days !== undefined ? object.lastModified.getTime() + rule.days * DAY_MS : rule.date?.getTime();
    if (at !== undefined && (!earliest || at < earliest.at)) earliest = { at, rule };
  }
  if (!earliest || earliest.at >= platformEnds) return undefined;
  const when = new Date(earliest.at).toISOString().slice(0, 10);
  return {
    type: 'ExpiresBeforePlatformWindow',
    key: object.key,
    detail: `Lifecycle rule ${earliest.rule.id} expires it on ${when}, before the platform's ${platformRetentionDays}-day window ends on ${new Date(platformEnds).toISOString().slice(0, 10)}.`,
  };
}

/** An object not encrypted with SSE-KMS under the archive key (by ARN or by key id). */
export function encryptionFinding(key: string, details: EncryptionDetails, archiveKeyArn: string): Finding | undefined {
  const keyId = archiveKeyArn.slice(archiveKeyArn.lastIndexOf('/') + 1);
  const sse = details.serverSideEncryption;
  if (sse === 'aws:kms' && (details.kmsKeyId === archiveKeyArn || details.kmsKeyId === keyId)) return undefined;
  const actual =
    sse === undefined
      ? 'no server-side encryption'
      : sse === 'aws:kms'
        ? `SSE-KMS with ${details.kmsKeyId ?? 'an unnamed key'}`
        : sse;
  return {
    type: 'NotEncryptedWithArchiveKey',
    key,
    detail: `Encrypted with ${actual} instead of SSE-KMS with the archive key.`,
  };
}

/** A Connect recording without the retention tag, or with a class that has no lifecycle rule. */
export function retentionTagFinding(
  key: string,
  tags: Readonly<Record<string, string>>,
  tagKey: string,
  classes: readonly string[],
): Finding | undefined {
  const value = tags[tagKey];
  if (value === undefined) {
    return {
      type: 'MissingRetentionTag',
      key,
      detail: `The recording has no '${tagKey}' tag, so only the prefix-wide expiration applies.`,
    };
  }
  if (!classes.includes(value)) {
    return {
      type: 'UnknownRetentionClass',
      key,
      detail: `The '${tagKey}' tag is '${value}', which is none of the classes (${classes.join(', ')}), so no class rule applies.`,
    };
  }
  return undefined;
}
