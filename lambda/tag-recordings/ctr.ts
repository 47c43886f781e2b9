import * as z from '../shared/zod';

/** One recording entry of a CTR (`Recording` or an item of `Recordings[]`); other fields pass through. */
const RecordingSchema = z.looseObject({
  Location: z.nullish(z.string()),
  StorageType: z.nullish(z.string()),
  /** AVAILABLE, DELETED (with `DeletionReason`) or null. */
  Status: z.nullish(z.string()),
});

/** The part of a Connect contact trace record the tagger reads. */
export const CtrSchema = z.looseObject({
  ContactId: z.string().check(z.minLength(1)),
  Attributes: z.nullish(z.record(z.string(), z.nullable(z.string()))),
  Recording: z.nullish(RecordingSchema),
  Recordings: z.nullish(z.array(z.nullable(RecordingSchema))),
});

/** A parsed CTR. */
export type Ctr = z.output<typeof CtrSchema>;

/** Which tag value a contact's recordings get. */
export interface RetentionSettings {
  /** Tag key of the retention class. */
  readonly tagKey: string;
  /** Configured class names. */
  readonly classes: readonly string[];
  /** Class used when the contact names none or an unknown one. */
  readonly defaultClass: string;
}

/** One object to tag. */
export interface TagOperation {
  readonly bucket: string;
  readonly key: string;
  readonly tagKey: string;
  readonly value: string;
}

/** What one CTR asks for. */
export interface TagPlan {
  readonly contactId: string;
  readonly operations: TagOperation[];
  /** Set when the default class was used, with why. */
  readonly defaulted?: { readonly requested: string | undefined; readonly reason: 'missing' | 'unknown' };
  /** Locations of recordings Connect reports DELETED: skipped, never waited for. @default none */
  readonly deleted?: readonly string[];
}

/** Parses one Kinesis record's data (UTF-8 JSON) into a CTR, or throws one sentence saying why not. */
export function parseCtr(data: string): Ctr {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new Error('The record is not JSON, so it is not a contact trace record.');
  }
  const result = CtrSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`The record is not a contact trace record: ${issue.path.join('.') || '(root)'} ${issue.message}.`);
  }
  return result.data;
}

/** Splits a CTR `Location` (`bucket/key`, no scheme) on its first `/`. */
export function splitLocation(location: string): { bucket: string; key: string } {
  const slash = location.indexOf('/');
  if (slash <= 0 || slash === location.length - 1) {
    throw new Error(`The recording location '${location}' is not of the form bucket/key.`);
  }
  return { bucket: location.slice(0, slash), key: location.slice(slash + 1) };
}

/**
 * The tag operations of one CTR: every S3 recording in `Recording` and `Recordings[]` (nulls and
 * Kinesis Video Streams recordings skipped), each tagged with the contact's `retention` attribute
 * when it names a configured class, else with the default class. A recording without a location
 * fails the whole CTR, since it cannot be tagged and would otherwise expire with the default window.
 * A recording whose `Status` is DELETED (Connect gives the `DeletionReason`) is skipped and listed
 * in `deleted`: it will never reach S3, so waiting for it would only park the CTR.
 */
export function planTags(ctr: Ctr, settings: RetentionSettings): TagPlan {
  const requested = ctr.Attributes?.[settings.tagKey] ?? undefined;
  const known = requested !== undefined && settings.classes.includes(requested);
  const value = known ? requested : settings.defaultClass;

  const entries = [ctr.Recording, ...(ctr.Recordings ?? [])];
  const seen = new Set<string>();
  const operations: TagOperation[] = [];
  const deleted: string[] = [];
  for (const entry of entries) {
    if (!entry) continue;
    if (entry.StorageType && entry.StorageType !== 'S3') continue;
    if (entry.Status === 'DELETED') {
      if (entry.Location && !deleted.includes(entry.Location)) deleted.push(entry.Location);
      continue;
    }
    if (!entry.Location) {
      throw new Error(`Contact ${ctr.ContactId} has an S3 recording without a Location.`);
    }
    // `Recording` and `Recordings[]` usually name the same object once each.
    if (seen.has(entry.Location)) continue;
    seen.add(entry.Location);
    operations.push({ ...splitLocation(entry.Location), tagKey: settings.tagKey, value });
  }
  return {
    contactId: ctr.ContactId,
    operations,
    defaulted: known ? undefined : { requested, reason: requested === undefined ? 'missing' : 'unknown' },
    ...(deleted.length > 0 ? { deleted } : {}),
  };
}
