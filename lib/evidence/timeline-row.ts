// Interim copy of the agreed interface of lib/retention/timeline.ts (helper i10); replaced by an
// import once that module lands.
export type CopyName = 'archive' | 'replica' | 'connect-bucket';
export interface TimelineRow {
  readonly source: 'genesys' | 'connect';
  readonly retentionClass?: string;
  readonly copy: CopyName;
  readonly bucket: string;
  readonly standardIaDay?: number;
  readonly glacierDay?: number;
  readonly deepArchiveDay?: number;
  readonly lockedUntilDay?: number;
  readonly lockMode?: 'GOVERNANCE' | 'COMPLIANCE';
  readonly deleteMarkerDay: number;
  readonly bytesGoneDay: number;
  readonly nativeDeletionDay?: number;
  readonly notes: readonly string[];
}
