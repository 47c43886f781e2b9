/** One S3 object tag. */
export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** S3 allows at most 10 tags on an object. */
export const MAX_OBJECT_TAGS = 10;

/** The object already carries S3's maximum number of tags and the retention tag is not one of them. */
export class TooManyTagsError extends Error {
  override readonly name = 'TooManyTagsError';
}

/**
 * The object's tag set with `key` set to `value` and every other tag kept (PutObjectTagging
 * replaces the whole set, G1), or `undefined` when the tag is already right and nothing needs writing.
 */
export function mergeTag(existing: readonly Tag[], key: string, value: string): Tag[] | undefined {
  const current = existing.find((tag) => tag.Key === key);
  if (current?.Value === value) return undefined;
  if (!current && existing.length >= MAX_OBJECT_TAGS) {
    throw new TooManyTagsError(`The object already has ${MAX_OBJECT_TAGS} tags, so the tag '${key}' cannot be added.`);
  }
  const others = existing.filter((tag) => tag.Key !== key).map((tag) => ({ Key: tag.Key, Value: tag.Value }));
  return [...others, { Key: key, Value: value }];
}
