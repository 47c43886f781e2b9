/** Restore tiers S3 offers. */
export type RestoreTier = 'Bulk' | 'Standard' | 'Expedited';
export const RESTORE_TIERS: readonly RestoreTier[] = ['Bulk', 'Standard', 'Expedited'];

/** Storage classes that need a restore before a GET. */
export const ARCHIVED_CLASSES = ['GLACIER', 'DEEP_ARCHIVE'] as const;
export type ArchivedClass = (typeof ARCHIVED_CLASSES)[number];

/**
 * Retrieval times (design.md, S3 restore tiers) and list prices. The prices are S3's public
 * us-east-1 list prices as this app assumes them (retrieval per GB, per 1,000 requests): check
 * the S3 pricing page of your region; the estimate is printed as approximate.
 */
export const RESTORE_FACTS: Readonly<
  Record<ArchivedClass, Partial<Record<RestoreTier, { time: string; perGb: number; per1000: number }>>>
> = {
  GLACIER: {
    Expedited: { time: '1-5 minutes', perGb: 0.03, per1000: 10 },
    Standard: { time: '3-5 hours', perGb: 0.01, per1000: 0.05 },
    Bulk: { time: '5-12 hours', perGb: 0, per1000: 0 },
  },
  DEEP_ARCHIVE: {
    Standard: { time: 'within 12 hours', perGb: 0.02, per1000: 0.1 },
    Bulk: { time: 'within 48 hours', perGb: 0.0025, per1000: 0.025 },
  },
};

/** One archived object to restore. */
export interface ArchivedObject {
  readonly storageClass: ArchivedClass;
  readonly size: number;
}

/** The estimate printed before a restore starts. */
export interface RestoreEstimate {
  readonly objects: number;
  readonly bytes: number;
  /** Slowest tier time among the classes involved. */
  readonly time: string;
  /** Approximate retrieval cost in USD. */
  readonly costUsd: number;
}

/** Time and approximate cost of restoring `objects` with `tier`; Expedited of Deep Archive is refused. */
export function restoreEstimate(objects: readonly ArchivedObject[], tier: RestoreTier): RestoreEstimate {
  let cost = 0;
  const times = new Set<string>();
  for (const o of objects) {
    const facts = RESTORE_FACTS[o.storageClass][tier];
    if (!facts) {
      throw new Error(`S3 offers no ${tier} restore for ${o.storageClass}; use --tier Standard or --tier Bulk.`);
    }
    cost += (o.size / 1024 ** 3) * facts.perGb + facts.per1000 / 1000;
    times.add(`${o.storageClass} ${facts.time}`);
  }
  return {
    objects: objects.length,
    bytes: objects.reduce((n, o) => n + o.size, 0),
    time: [...times].join(', ') || 'nothing to restore',
    costUsd: Math.round(cost * 10_000) / 10_000,
  };
}

/** The `x-amz-restore` header: `ongoing-request="true"` while restoring; `ongoing-request="false", expiry-date="..."` when done. */
export function restoreState(header: string | undefined): 'none' | 'restoring' | 'restored' {
  if (!header) return 'none';
  return /ongoing-request="true"/.test(header) ? 'restoring' : 'restored';
}
