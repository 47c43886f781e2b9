import { S3Client } from '@aws-sdk/client-s3';
import { createBatchRetagHandler } from './batch-retag';
import { createClassLock, readClassDays } from './class-lock';
import { readRetagLocations, readRetagTagKey } from './retag-settings';

const s3 = new S3Client({});
const classDays = readClassDays(process.env);

/** Re-tags Connect recordings for S3 Batch Operations jobs of `npm run archive -- retag` (LambdaInvoke, schema 2.0). */
export const handler = createBatchRetagHandler({
  s3,
  tagKey: readRetagTagKey(process.env),
  classes: Object.keys(classDays),
  locations: readRetagLocations(process.env),
  classLock: createClassLock(s3, classDays),
});
