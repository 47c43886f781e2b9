import { ListedVersion, versionOrder } from '../../lambda/pointer-integrity/over-retention';
import { ListedObject } from '../../lambda/pointer-integrity/reconcile';
import { ArchiveReader, ListPage, VersionPage } from '../../lambda/pointer-integrity/run';

/**
 * An in-memory bucket for the pointer-integrity logic: sorted keys, pages, per-call delay and call
 * counts. `costMs` makes it slow on a virtual clock: every call advances `elapsedMs` by that much
 * (calls in flight at once are not discounted), so tests can give invocations a time budget.
 */
export class MemoryArchive implements ArchiveReader {
  readonly objects = new Map<
    string,
    ListedObject & { sse?: string; kmsKeyId?: string; tags?: Record<string, string> }
  >();
  /** Noncurrent versions and delete markers, besides the current objects above (see `putVersion`). */
  readonly history: ListedVersion[] = [];
  readonly listCalls: string[] = [];
  /** HeadObject and GetObjectTagging calls per key. */
  readonly headsByKey = new Map<string, number>();
  readonly tagsByKey = new Map<string, number>();
  headCalls = 0;
  tagCalls = 0;
  inFlight = 0;
  maxInFlight = 0;
  /** Virtual milliseconds spent in calls (`costMs` per call). */
  elapsedMs = 0;

  constructor(private readonly options: { pageSize?: number; delayMs?: number; costMs?: number } = {}) {}

  put(
    key: string,
    extra: { lastModified?: Date; size?: number; sse?: string; kmsKeyId?: string; tags?: Record<string, string> } = {},
  ): void {
    this.objects.set(key, {
      key,
      size: 1,
      ...extra,
      lastModified: extra.lastModified ?? new Date('2026-01-01T00:00:00Z'),
    });
  }

  private async call<T>(work: () => T): Promise<T> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.elapsedMs += this.options.costMs ?? 0;
    try {
      if (this.options.delayMs) await new Promise((resolve) => setTimeout(resolve, this.options.delayMs));
      return work();
    } finally {
      this.inFlight -= 1;
    }
  }

  listPage(bucket: string, prefix: string, token?: string): Promise<ListPage> {
    return this.call(() => {
      this.listCalls.push(`${bucket}/${prefix}#${token ?? ''}`);
      const size = this.options.pageSize ?? 1000;
      const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
      const start = token ? Number(token) : 0;
      const next = start + size < keys.length ? String(start + size) : undefined;
      return { objects: keys.slice(start, start + size).map((k) => this.objects.get(k)!), nextToken: next };
    });
  }

  /**
   * An older version or a delete marker of `key`. A delete marker newer than the current object
   * makes it noncurrent: the listing then says so (isLatest only on the newest entry of a key).
   */
  putVersion(key: string, extra: { lastModified: Date; deleteMarker?: boolean; size?: number }): void {
    this.history.push({
      key,
      versionId: `v${this.history.length}`,
      lastModified: extra.lastModified,
      size: extra.deleteMarker ? 0 : (extra.size ?? 1),
      isLatest: false,
      isDeleteMarker: extra.deleteMarker ?? false,
    });
  }

  listVersions(bucket: string, prefix: string, token?: string): Promise<VersionPage> {
    return this.call(() => {
      this.listCalls.push(`versions ${bucket}/${prefix}#${token ?? ''}`);
      const size = this.options.pageSize ?? 1000;
      const all: ListedVersion[] = [
        ...[...this.objects.values()].map((o) => ({
          key: o.key,
          versionId: 'current',
          lastModified: o.lastModified,
          size: o.size,
          isLatest: false,
          isDeleteMarker: false,
        })),
        ...this.history,
      ]
        .filter((v) => v.key.startsWith(prefix))
        .sort(versionOrder)
        .map((v, i, sorted) => ({ ...v, isLatest: i === 0 || sorted[i - 1].key !== v.key }));
      const start = token ? Number(token) : 0;
      const next = start + size < all.length ? String(start + size) : undefined;
      return { versions: all.slice(start, start + size), nextToken: next };
    });
  }

  encryption(_bucket: string, key: string) {
    return this.call(() => {
      this.headCalls += 1;
      this.headsByKey.set(key, (this.headsByKey.get(key) ?? 0) + 1);
      const o = this.objects.get(key);
      return { serverSideEncryption: o?.sse, kmsKeyId: o?.kmsKeyId };
    });
  }

  tags(_bucket: string, key: string) {
    return this.call(() => {
      this.tagCalls += 1;
      this.tagsByKey.set(key, (this.tagsByKey.get(key) ?? 0) + 1);
      return this.objects.get(key)?.tags ?? {};
    });
  }
}
