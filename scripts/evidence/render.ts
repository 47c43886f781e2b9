import { isRecord } from '../../test/access/resolve-template';
import { replicaTarget } from '../../lib/config/replica';
import { usd } from '../../lib/cost/projection';
import { EvidenceData, SynthesizedResource } from './collect';
import { esc, rowLabel, timelineSvg } from './timeline-svg';

const CSS = `
body{font-family:sans-serif;color:#1a202c;margin:2rem;max-width:1150px}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #2b6cb0;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.82rem;margin:.5rem 0}
th,td{border:1px solid #cbd5e0;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#edf2f7}td.num{text-align:right;font-variant-numeric:tabular-nums}
pre{background:#f7fafc;border:1px solid #e2e8f0;padding:.5rem;font-size:.75rem;white-space:pre-wrap;word-break:break-word}
.meta{color:#4a5568;font-size:.9rem}.ok{color:#276749;font-weight:bold}.bad{color:#c53030;font-weight:bold}
.warn{background:#fffaf0;border-left:4px solid #dd6b20;padding:.4rem .6rem;margin:.4rem 0}
code{font-size:.85em}
@media print{body{margin:0}h2{break-after:avoid}table,svg{break-inside:avoid}}
`;

function table(headers: readonly string[], rows: readonly (readonly string[])[], className = ''): string {
  return `<table${className ? ` class="${className}"` : ''}><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const json = (value: unknown) => `<pre>${esc(JSON.stringify(value, null, 2))}</pre>`;
const opt = (n: number | undefined) => (n === undefined ? '-' : String(n));

function lifecycleRows(bucket: SynthesizedResource): string[][] {
  const config = bucket.properties.LifecycleConfiguration;
  const rules = isRecord(config) && Array.isArray(config.Rules) ? (config.Rules as Record<string, unknown>[]) : [];
  return rules.map((r) => [
    `<code>${esc(typeof r.Id === 'string' ? r.Id : '')}</code>`,
    esc(typeof r.Prefix === 'string' ? r.Prefix : isRecord(r.Filter) ? JSON.stringify(r.Filter) : ''),
    esc(
      Array.isArray(r.TagFilters)
        ? (r.TagFilters as { Key: string; Value: string }[]).map((t) => `${t.Key}=${t.Value}`).join(', ')
        : '-',
    ),
    esc(
      Array.isArray(r.Transitions)
        ? (r.Transitions as { StorageClass: string; TransitionInDays: number }[])
            .map((t) => `${t.StorageClass} day ${t.TransitionInDays}`)
            .join(', ')
        : '-',
    ),
    esc(
      r.ExpirationInDays !== undefined
        ? `day ${JSON.stringify(r.ExpirationInDays)}`
        : r.ExpiredObjectDeleteMarker
          ? 'expired delete markers'
          : '-',
    ),
    esc(isRecord(r.NoncurrentVersionExpiration) ? `${String(r.NoncurrentVersionExpiration.NoncurrentDays)} days` : '-'),
    esc(
      isRecord(r.AbortIncompleteMultipartUpload)
        ? `${String(r.AbortIncompleteMultipartUpload.DaysAfterInitiation)} days`
        : '-',
    ),
  ]);
}

function bucketName(b: SynthesizedResource): string {
  return `${b.stackName} / ${b.logicalId}`;
}

/** The evidence page: one self-contained HTML document (inline CSS and SVG, no scripts, no external resources). */
export function renderEvidencePage(data: EvidenceData): string {
  const c = data.config;
  const s: string[] = [];
  const commit = `${data.commit.id}${data.commit.dirty ? ' (with uncommitted changes)' : ''}`;

  s.push(`<h1>Recording archive evidence: <code>${esc(data.envName)}</code></h1>`);
  s.push(
    `<p class="meta">Built from commit <code id="commit">${esc(commit)}</code> on ${esc(data.generatedAt)} by <code>npm run evidence -- --env ${esc(data.envName)}</code>, from the environment's configuration and its synthesized CloudFormation templates.</p>`,
  );
  s.push(
    table(
      ['setting', 'value'],
      [
        ['account / region', esc(`${c.account} / ${c.region}`)],
        [
          'compliance window',
          esc(`${c.compliance.retentionDays} days${c.compliance.preset ? ` (preset ${c.compliance.preset})` : ''}`),
        ],
        ['Object Lock default retention', esc(`${c.objectLock.mode}, ${c.objectLock.defaultRetentionDays} days`)],
        ['recordings prefix', `<code>${esc(c.recordingsPrefix)}</code>`],
        [
          'retention classes (tag ' + esc(c.retention.tagKey) + ')',
          esc(
            Object.entries(c.retention.classes)
              .map(([n, d]) => `${n}: ${d} days`)
              .join(', ') + ` (default ${c.retention.defaultClass})`,
          ),
        ],
        [
          'replication',
          esc(
            c.replication
              ? `${replicaTarget(c)!.bucketArn} in ${c.replication.region}${replicaTarget(c)!.appOwned ? ' (app-owned replica stack)' : ''}`
              : 'none',
          ),
        ],
      ],
    ),
  );

  // 1. Timeline.
  s.push('<h2 id="timeline">Retention timeline</h2>');
  s.push(
    '<p>Each row is one kind of recording on one copy: storage classes as lifecycle moves it, the Object Lock span, the day lifecycle places the delete marker, the day its bytes are gone, and the day Genesys deletes its native copy.</p>',
  );
  s.push(timelineSvg(data.timeline));
  s.push(
    table(
      [
        'recordings · copy',
        'bucket',
        'STANDARD_IA',
        'GLACIER',
        'DEEP_ARCHIVE',
        'locked until',
        'delete marker',
        'bytes gone',
        'Genesys native deletion',
        'notes',
      ],
      data.timeline.map((r) => [
        esc(rowLabel(r)),
        `<code>${esc(r.bucket)}</code>`,
        opt(r.standardIaDay),
        opt(r.glacierDay),
        opt(r.deepArchiveDay),
        r.lockedUntilDay === undefined ? '-' : esc(`${r.lockedUntilDay} (${r.lockMode ?? ''})`),
        String(r.deleteMarkerDay),
        String(r.bytesGoneDay),
        opt(r.nativeDeletionDay),
        esc(r.notes.join(' ')),
      ]),
      'timeline-table',
    ),
  );

  // 2. Genesys alignment.
  s.push('<h2 id="genesys-alignment">Genesys retention-policy alignment</h2>');
  const aligned = c.compliance.retentionDays >= c.genesys.platformRetentionDays;
  s.push(
    `<p>Genesys keeps its native copy ${c.genesys.platformRetentionDays} days (its media retention policy, <code>retentionDuration.deleteRetention.days</code>); the archive keeps Genesys exports ${c.compliance.retentionDays} days: <span class="${aligned ? 'ok' : 'bad'}">${aligned ? 'the archive never undercuts the platform window (T4)' : 'the archive undercuts the platform window'}</span>. Storage mode <code>${esc(c.genesys.storageMode)}</code>: exports copy, the native copy stays (T2). The app never configures a Genesys deletion policy.</p>`,
  );
  s.push(
    table(
      ['copy', 'Genesys deletes native copy', 'archive delete marker', 'archive bytes gone', 'archive outlives native'],
      data.timeline
        .filter((r) => r.source === 'genesys')
        .map((r) => [
          esc(r.copy),
          opt(r.nativeDeletionDay),
          String(r.deleteMarkerDay),
          String(r.bytesGoneDay),
          r.nativeDeletionDay === undefined
            ? '-'
            : r.deleteMarkerDay >= r.nativeDeletionDay
              ? '<span class="ok">yes</span>'
              : '<span class="bad">no</span>',
        ]),
    ),
  );

  // 3. Lifecycle, Object Lock, encryption as synthesized.
  s.push('<h2 id="lifecycle">Lifecycle rules as synthesized</h2>');
  for (const b of data.buckets.filter((b) => isRecord(b.properties.LifecycleConfiguration))) {
    s.push(`<h3>${esc(bucketName(b))}</h3>`);
    s.push(
      table(
        ['rule id', 'prefix', 'tag filter', 'transitions', 'expiration', 'noncurrent versions', 'abort multipart'],
        lifecycleRows(b),
        'lifecycle',
      ),
    );
  }
  for (const r of data.lifecycleCustomResources) {
    s.push(`<h3>${esc(`${r.stackName} / ${r.logicalId}`)}: rules merged into Connect's existing bucket (L4)</h3>`);
    s.push(json(r.properties.Rules ?? r.properties));
  }
  s.push('<h2 id="object-lock">Object Lock, versioning and encryption as synthesized</h2>');
  s.push(
    table(
      ['bucket', 'Object Lock', 'versioning', 'default encryption'],
      data.buckets.map((b) => [
        esc(bucketName(b)),
        b.properties.ObjectLockEnabled
          ? json(b.properties.ObjectLockConfiguration ?? { ObjectLockEnabled: true })
          : 'off',
        esc(
          isRecord(b.properties.VersioningConfiguration) ? String(b.properties.VersioningConfiguration.Status) : 'off',
        ),
        json(b.properties.BucketEncryption ?? 'none'),
      ]),
    ),
  );
  s.push('<h2 id="key-policies">Key policies as synthesized</h2>');
  for (const k of data.keys) {
    s.push(
      `<h3>${esc(`${k.stackName} / ${k.logicalId}`)}${k.properties.EnableKeyRotation ? ' (rotation on)' : ''}</h3>`,
    );
    s.push(json(k.properties.KeyPolicy));
  }

  // 4. Access matrix.
  const asExpected = data.access.filter((a) => a.asExpected).length;
  s.push('<h2 id="access">Access matrix</h2>');
  s.push(
    `<p>Computed by the same simulation as <code>npm run access-matrix</code> (@cloud-copilot/iam-simulate over the synthesized bucket, key, trust and identity policies): <span class="${asExpected === data.access.length ? 'ok' : 'bad'}">${asExpected}/${data.access.length} as expected</span>.</p>`,
  );
  s.push(
    table(
      ['#', 'scenario', 'principal', 'request', 'context', 'expected', 'decision', 'decided by'],
      data.access.map((a, i) => [
        String(i + 1),
        `${esc(a.description)} (<code>${esc(a.id)}</code>)`,
        esc(a.principal),
        `<code>${esc(a.request)}</code>`,
        `<code>${esc(a.context)}</code>`,
        esc(a.expected),
        a.asExpected ? esc(a.decision) : `<span class="bad">MISMATCH: ${esc(a.decision)}</span>`,
        esc(a.decidedBy.join(' + ')),
      ]),
      'access-matrix',
    ),
  );

  // 5. cdk-nag.
  s.push('<h2 id="nag">cdk-nag results</h2>');
  for (const p of data.nag) {
    s.push(
      `<h3>${esc(p.pack)}: <span class="${p.unacknowledged.length === 0 ? 'ok' : 'bad'}">${p.unacknowledged.length} unacknowledged findings</span>, ${p.acknowledgements.length} acknowledgements</h3>`,
    );
    if (p.unacknowledged.length)
      s.push(
        table(
          ['rule', 'resources'],
          p.unacknowledged.map((u) => [esc(u.rule), esc(u.resources.join(', '))]),
        ),
      );
    s.push(
      table(
        ['resource', 'rule', 'reason'],
        p.acknowledgements.map((a) => [`<code>${esc(a.path)}</code>`, `<code>${esc(a.rule)}</code>`, esc(a.reason)]),
        'nag-acks',
      ),
    );
  }

  // 6. Traps.
  s.push('<h2 id="traps">Trap refusals</h2>');
  s.push(
    table(
      ['id', 'trap', 'refusal', 'tests that prove it'],
      data.traps.map((t) => [
        `<b>${esc(t.id)}</b>`,
        esc(t.trap),
        esc(t.refusal),
        t.tests.length
          ? t.tests.map((x) => `<code>${esc(x.file)}</code>: ${esc(x.title)}`).join('<br>')
          : '<span class="bad">no test names this trap</span>',
      ]),
      'traps',
    ),
  );

  // 7. CIDRs.
  const cidrs = c.genesys.allowedCidrs;
  s.push('<h2 id="cidrs">Genesys CIDR list</h2>');
  s.push(
    `<p>Source: ${esc(cidrs.source)}. Genesys region <code>${esc(cidrs.region)}</code>, services ${esc(cidrs.services.join(', '))}. Fetched: ${esc(cidrs.fetchedAt ?? 'never (hand-written list)')}. The bucket policy denies Genesys writes from any other address; a daily check compares the list with Genesys's feed.</p>`,
  );
  s.push(
    table(
      ['#', 'CIDR'],
      cidrs.cidrs.map((x, i) => [String(i + 1), `<code>${esc(x)}</code>`]),
      'cidrs',
    ),
  );

  // 8. Cost.
  const p = data.cost;
  s.push('<h2 id="cost">Cost projection</h2>');
  s.push(
    `<p>${esc(
      `${p.recordingsPerDay} recordings a day of ${p.averageMb} MB; shares ${Object.entries(p.shares)
        .map(([k, v]) => `${k} ${Math.round(v * 1000) / 10}%`)
        .join(', ')}.`,
    )} Steady-state monthly total: <b id="cost-total">${esc(usd(p.totalMonthlyUsd))}</b>. Recompute with <code>npm run cost -- --env ${esc(data.envName)} --recordings-per-day N --average-mb M</code>.</p>`,
  );
  for (const w of p.warnings) s.push(`<p class="warn">${esc(w.message)}</p>`);
  s.push(
    table(
      ['storage class', 'GB stored', 'per month'],
      p.byStorageClass.map((x) => [
        esc(x.storageClass),
        `<span class="num">${x.gb.toFixed(1)}</span>`,
        esc(usd(x.monthlyUsd)),
      ]),
    ),
  );
  s.push(
    table(
      ['recordings', 'per month'],
      p.byLabel.map((x) => [esc(x.label), esc(usd(x.monthlyUsd))]),
    ),
  );
  s.push(
    table(
      ['charge', 'per month'],
      p.byCategory.map((x) => [esc(x.category), esc(usd(x.monthlyUsd))]),
    ),
  );
  s.push(`<ul>${p.assumptions.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>`);
  s.push(
    `<p class="meta">Prices: ${p.priceTables.map((t) => esc(`${t.region}: ${t.source}, checked ${t.checkedAt}`)).join('; ')}.</p>`,
  );

  s.push(
    `<p class="meta">End of evidence for <code>${esc(data.envName)}</code>, commit <code>${esc(commit)}</code>.</p>`,
  );
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"><title>Recording archive evidence: ${esc(data.envName)}</title><style>${CSS}</style></head><body>${s.join('\n')}</body></html>\n`;
}
