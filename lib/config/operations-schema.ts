import { z } from 'zod';

const roleName = z.string().regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name (no path, no ARN)');

/** Day-2 operations of the archive: legal holds, the auditors' reader role, Athena search. */
export const OperationsSchema = z
  .object({
    /**
     * Roles (names, in this account) that alone may place or lift S3 legal holds on the archive;
     * the bucket policy denies `s3:PutObjectLegalHold` to every other principal except the
     * stack's Batch Operations role (which only these roles may pass).
     */
    legalHoldRoleNames: z.array(roleName).default([]),
    /**
     * A least-privilege `recording-reader` role for auditors: read, restore and presign under
     * the recordings prefix; no delete, no hold.
     * @default - not created
     */
    readerRole: z
      .object({
        /** Role names in this account allowed to assume the reader role (e.g. the auditors' SSO role). */
        assumedByRoleNames: z.array(roleName).min(1, 'needs at least one role that may assume the reader role'),
      })
      .strict()
      .optional(),
    /** Athena search over the Genesys sidecars. */
    athena: z
      .object({
        /** Days query results are kept under `athena-results/` of the access-log bucket. */
        resultsExpirationDays: z.number().int().positive().default(7),
        /** First year the sidecar table's partition projection enumerates. */
        firstYear: z.number().int().min(2000).max(2100).default(2020),
      })
      .strict()
      .default({ resultsExpirationDays: 7, firstYear: 2020 }),
    /** Days S3 Batch Operations manifests and completion reports are kept under `batch/`. */
    batchManifestDays: z.number().int().positive().default(30),
  })
  .strict();

/** Defaults of {@link OperationsSchema} when an environment omits `operations`. */
export const OPERATIONS_DEFAULTS = {
  legalHoldRoleNames: [],
  athena: { resultsExpirationDays: 7, firstYear: 2020 },
  batchManifestDays: 30,
} as const;
