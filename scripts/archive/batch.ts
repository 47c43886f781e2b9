/** One object version of a Batch Operations manifest. */
export interface ManifestEntry {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
}

/**
 * The CSV manifest (`S3BatchOperations_CSV_20180820`: Bucket,Key,VersionId, or Bucket,Key without
 * versions: S3 then acts on each current version). Keys are URL-encoded as S3 requires for CSV
 * manifests, so commas and quotes in keys cannot break a row.
 */
export function manifestCsv(entries: readonly ManifestEntry[], withVersions = true): string {
  return entries
    .map((e) => `${e.bucket},${encodeURIComponent(e.key)}${withVersions ? `,${e.versionId ?? ''}` : ''}\n`)
    .join('');
}

/** One failed task of a completion report. */
export interface ReportFailure {
  readonly key: string;
  readonly versionId: string;
  readonly errorCode: string;
  readonly httpStatus: string;
  readonly message: string;
}

/**
 * Failed tasks of a `Report_CSV_20180820` file (Bucket, Key, VersionId, TaskStatus, ErrorCode,
 * HTTPStatusCode, ResultMessage); keys decoded as written in the manifest.
 */
export function reportFailures(csv: string): ReportFailure[] {
  return csv
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map(parseCsvLine)
    .filter((cols) => cols[3] !== undefined && cols[3].toLowerCase() !== 'succeeded')
    .map((cols) => ({
      key: safeDecode(cols[1] ?? ''),
      versionId: cols[2] ?? '',
      errorCode: cols[4] ?? '',
      httpStatus: cols[5] ?? '',
      message: cols[6] ?? '',
    }));
}

/** The completion report's manifest (`manifest.json` under `<prefix>/job-<id>/`): its result files. */
export interface ReportManifest {
  readonly Results?: readonly { readonly TaskExecutionStatus?: string; readonly Key?: string }[];
}

/** Keys of the report files that list failed tasks. */
export function failedResultKeys(manifest: ReportManifest): string[] {
  return (manifest.Results ?? [])
    .filter((r) => r.TaskExecutionStatus?.toLowerCase() === 'failed' && r.Key)
    .map((r) => r.Key!);
}

function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
