import { S3Client } from '@aws-sdk/client-s3';
import { createHandler, readLockDays } from './lock';

/** Locks each new recording version until its expiration day; EventBridge `Object Created` event in. */
export const handler = createHandler(new S3Client({}), readLockDays(process.env));
