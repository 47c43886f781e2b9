/** Every kind of discrepancy the pointer-integrity check reports; each is also a CloudWatch metric name. */
export const FINDING_TYPES = [
  'RecordingWithoutSidecar',
  'SidecarWithoutRecording',
  'ExportedRecordingMissing',
  // A recording of a covered conversation past the export grace with no exportedDate (not-exported.ts).
  'NotExported',
  'NotEncryptedWithArchiveKey',
  'MissingRetentionTag',
  'UnknownRetentionClass',
  'ExpiresBeforePlatformWindow',
  // Over-retention (lambda/pointer-integrity/over-retention.ts): kept past the day lifecycle should have deleted it.
  'RetainedPastDay',
  'NoncurrentPastDay',
] as const;

export type FindingType = (typeof FINDING_TYPES)[number];

/** One discrepancy: what, which object (or expected object), and why. */
export interface Finding {
  readonly type: FindingType;
  readonly key: string;
  readonly detail: string;
}

export type FindingCounts = Record<FindingType, number>;

/** A count of zero for every finding type. */
export function emptyCounts(): FindingCounts {
  return Object.fromEntries(FINDING_TYPES.map((type) => [type, 0])) as FindingCounts;
}

/** The sum of two sets of counts. */
export function addCounts(a: FindingCounts, b: FindingCounts): FindingCounts {
  return Object.fromEntries(FINDING_TYPES.map((type) => [type, a[type] + b[type]])) as FindingCounts;
}

/** Total findings of all types. */
export function totalFindings(counts: FindingCounts): number {
  return FINDING_TYPES.reduce((sum, type) => sum + counts[type], 0);
}

/**
 * Keeps exact counts per type and the first `examplesPerType` findings of each type, so a
 * misconfiguration that hits every object still gives a report of bounded size.
 */
export class FindingCollector {
  readonly counts: FindingCounts = emptyCounts();
  private readonly kept: Finding[] = [];

  constructor(private readonly examplesPerType: number) {}

  add(finding: Finding): void {
    this.counts[finding.type] += 1;
    if (this.counts[finding.type] <= this.examplesPerType) this.kept.push(finding);
  }

  /** The kept findings, sorted by type then key (S3's binary order) so reports are stable. */
  get examples(): Finding[] {
    const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return [...this.kept].sort((a, b) => order(a.type, b.type) || order(a.key, b.key));
  }

  get total(): number {
    return totalFindings(this.counts);
  }
}

/** Metrics the check emits (embedded metric format) and its alarm watches; Powertools adds the `service` dimension. */
export const INTEGRITY_METRICS = {
  namespace: 'RecordingArchive/PointerIntegrity',
  service: 'pointer-integrity',
  /** Sum of every finding type of one invocation; each type is also a metric of its own name. */
  findings: 'Findings',
} as const;
