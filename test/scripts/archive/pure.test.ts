import { failedResultKeys, manifestCsv, reportFailures } from '../../../scripts/archive/batch';
import { loadConfig } from '../../../lib/config';
import {
  connectLocations,
  contactDayPrefix,
  daysAround,
  daysBackFrom,
  parseDay,
} from '../../../scripts/archive/connect-keys';
import { deletionDate } from '../../../scripts/archive/deletion-date';
import { holdLogKey, HoldLogEntry, openHolds } from '../../../scripts/archive/holds-log';
import { chunks, genesysConversationPrefix, parseDuration } from '../../../scripts/archive/keys';
import { restoreEstimate, restoreState } from '../../../scripts/archive/restore-estimate';

const RULES = {
  retentionDays: 730,
  retentionTagKey: 'retention',
  classes: { short: 30, long: 900 },
  noncurrentDays: 1,
};
const T0 = new Date('2026-01-10T12:00:00Z');

describe('keys', () => {
  test('a conversation folder follows the export layout in UTC, zero-padded', () => {
    expect(genesysConversationPrefix('recordings/', 'org', 'c1', new Date('2026-03-04T05:59:59-02:00'))).toBe(
      'recordings/org/year=2026/month=03/day=04/hour=07/conversation_id=c1/',
    );
  });
  test('chunks of at most n, durations in seconds', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect([
      parseDuration('90', '--x'),
      parseDuration('30m', '--x'),
      parseDuration('1h', '--x'),
      parseDuration('7d', '--x'),
    ]).toEqual([90, 1800, 3600, 604800]);
    expect(() => parseDuration('1w', '--expires')).toThrow(
      '--expires 1w is not a duration; use a number with s, m, h or d such as 1h or 7d.',
    );
  });
});

describe('deletion date', () => {
  const base = { lastModified: T0, isLatest: true, tags: {}, legalHold: false };
  test('the archive window, or a shorter retention class; a longer class does not lengthen the window', () => {
    expect(deletionDate(RULES, base)).toEqual({ day: '2028-01-10', reason: 'archive window: 730 days' });
    expect(deletionDate(RULES, { ...base, tags: { retention: 'short' } })).toEqual({
      day: '2026-02-09',
      reason: 'retention class short: 30 days',
    });
    expect(deletionDate(RULES, { ...base, tags: { retention: 'long' } })).toEqual({
      day: '2028-01-10',
      reason: 'archive window: 730 days',
    });
  });
  test('never before the lock ends, never while on legal hold; noncurrent versions by their own rule', () => {
    expect(
      deletionDate(RULES, { ...base, tags: { retention: 'short' }, retainUntil: new Date('2026-06-01T00:00:00Z') }),
    ).toEqual({
      day: '2026-06-01',
      reason: 'retention class short: 30 days, held by Object Lock until 2026-06-01',
    });
    expect(deletionDate(RULES, { ...base, legalHold: true })).toEqual({
      reason: 'on legal hold: kept until the hold is released',
    });
    expect(
      deletionDate(RULES, { ...base, isLatest: false, noncurrentSince: new Date('2026-02-01T00:00:00Z') }),
    ).toEqual({ day: '2026-02-02', reason: 'noncurrent for 1 day(s)' });
  });
});

describe('restore estimate', () => {
  test('time and approximate cost per tier; no Expedited for Deep Archive', () => {
    const gb = 1024 ** 3;
    expect(restoreEstimate([{ storageClass: 'GLACIER', size: 10 * gb }], 'Expedited')).toEqual({
      objects: 1,
      bytes: 10 * gb,
      time: 'GLACIER 1-5 minutes',
      costUsd: 0.31,
    });
    expect(
      restoreEstimate(
        [
          { storageClass: 'DEEP_ARCHIVE', size: gb },
          { storageClass: 'GLACIER', size: gb },
        ],
        'Standard',
      ).time,
    ).toBe('DEEP_ARCHIVE within 12 hours, GLACIER 3-5 hours');
    expect(() => restoreEstimate([{ storageClass: 'DEEP_ARCHIVE', size: 1 }], 'Expedited')).toThrow(
      'S3 offers no Expedited restore for DEEP_ARCHIVE; use --tier Standard or --tier Bulk.',
    );
    expect([
      restoreState(undefined),
      restoreState('ongoing-request="true"'),
      restoreState('ongoing-request="false", expiry-date="Fri, 04 Dec 2026 00:00:00 GMT"'),
    ]).toEqual(['none', 'restoring', 'restored']);
  });
});

describe('batch manifests and completion reports', () => {
  test('the manifest URL-encodes keys; the report gives the failed tasks with quoted messages', () => {
    expect(
      manifestCsv([
        { bucket: 'b', key: 'a/x y,z.opus', versionId: 'v1' },
        { bucket: 'b', key: 'a/n.json' },
      ]),
    ).toBe('b,a%2Fx%20y%2Cz.opus,v1\nb,a%2Fn.json,\n');
    const csv =
      'b,a%2Fx%20y%2Cz.opus,v1,failed,AccessDenied,403,"Access Denied, ""policy"""\nb,a%2Fn.json,v2,succeeded,,200,Successful\n';
    expect(reportFailures(csv)).toEqual([
      {
        key: 'a/x y,z.opus',
        versionId: 'v1',
        errorCode: 'AccessDenied',
        httpStatus: '403',
        message: 'Access Denied, "policy"',
      },
    ]);
    expect(
      failedResultKeys({
        Results: [
          { TaskExecutionStatus: 'succeeded', Key: 'ok.csv' },
          { TaskExecutionStatus: 'failed', Key: 'bad.csv' },
        ],
      }),
    ).toEqual(['bad.csv']);
  });
});

describe('holds log', () => {
  const entry = (action: 'hold' | 'release', when: string, conversations: string[], reason = 'r'): HoldLogEntry => ({
    action,
    who: { arn: 'arn:aws:sts::1:assumed-role/h/a', account: '1', userId: 'u' },
    when,
    reason,
    conversations,
    objects: [],
    failures: [],
  });
  test('an open hold is a conversation whose latest entry is a hold, whatever the listing order', () => {
    const log = [
      entry('release', '2026-02-01T00:00:00.000Z', ['a']),
      entry('hold', '2026-01-01T00:00:00.000Z', ['a', 'b'], 'matter 1'),
      entry('hold', '2026-03-01T00:00:00.000Z', ['c'], 'matter 2'),
    ];
    expect(openHolds(log).map((h) => [h.conversationId, h.reason])).toEqual([
      ['b', 'matter 1'],
      ['c', 'matter 2'],
    ]);
    expect(holdLogKey({ action: 'hold', when: '2026-01-01T00:00:00.000Z' }, 'id')).toBe(
      'holds/2026-01-01T00-00-00-000Z-hold-id.json',
    );
  });
});

describe('Connect contacts', () => {
  const config = loadConfig('sample');
  test('every Connect location of the sample: the archive connect/ and Connect own bucket, each with its lifecycle', () => {
    expect(connectLocations(config, 'archive-bucket')).toEqual([
      {
        bucket: 'archive-bucket',
        prefix: 'connect/CallRecordings/',
        // The untagged fallback (longest class, 90) undercuts the 730-day window; a scan looks back over the window.
        rules: { retentionDays: 90, retentionTagKey: 'retention', classes: { short: 30, long: 90 }, noncurrentDays: 1 },
        scanDays: 730,
      },
      {
        bucket: 'amazon-connect-sample-recordings',
        prefix: 'connect/sample-instance/CallRecordings/',
        rules: { retentionDays: 90, retentionTagKey: 'retention', classes: { short: 30, long: 90 }, noncurrentDays: 1 },
        scanDays: 90,
      },
    ]);
    expect(connectLocations({ ...config, connect: undefined }, 'archive-bucket')).toEqual([]);
  });

  test('day folders: the contact prefix, --date and its UTC neighbours, a scan newest first', () => {
    const day = parseDay('2026-03-01', '--date');
    expect(contactDayPrefix('connect/CallRecordings/', day, 'k1')).toBe('connect/CallRecordings/2026/03/01/k1_');
    expect(daysAround(day).map((d) => d.toISOString().slice(0, 10))).toEqual([
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
    expect(daysBackFrom(new Date('2026-03-01T23:59:00Z'), 2).map((d) => d.toISOString().slice(0, 10))).toEqual([
      '2026-03-01',
      '2026-02-28',
      '2026-02-27',
    ]);
    for (const bad of ['2026-2-01', '2026-02-29', '01/03/2026'])
      expect(() => parseDay(bad, '--date')).toThrow(
        `--date ${bad} is not a day; write it as YYYY-MM-DD, such as 2026-11-23.`,
      );
  });

  test('a class as long as the window is named as the class; a manifest without versions has two columns', () => {
    expect(
      deletionDate(
        { ...RULES, retentionDays: 900 },
        { lastModified: T0, isLatest: true, tags: { retention: 'long' }, legalHold: false },
      ),
    ).toEqual({ day: '2028-06-28', reason: 'retention class long: 900 days' });
    expect(manifestCsv([{ bucket: 'b', key: 'connect/a b:c.wav' }], false)).toBe('b,connect%2Fa%20b%3Ac.wav\n');
  });

  test('holds of contacts stay open apart from conversations with the same id', () => {
    const who = { arn: 'arn:aws:sts::1:assumed-role/h/a', account: '1', userId: 'u' };
    const log: HoldLogEntry[] = [
      {
        action: 'hold',
        who,
        when: '2026-01-01T00:00:00.000Z',
        reason: 'c',
        conversations: [],
        contacts: ['x'],
        objects: [],
        failures: [],
      },
      {
        action: 'hold',
        who,
        when: '2026-01-02T00:00:00.000Z',
        reason: 'g',
        conversations: ['x'],
        objects: [],
        failures: [],
      },
      {
        action: 'release',
        who,
        when: '2026-01-03T00:00:00.000Z',
        reason: 'g done',
        conversations: ['x'],
        objects: [],
        failures: [],
      },
    ];
    expect(openHolds(log)).toEqual([{ contactId: 'x', since: '2026-01-01T00:00:00.000Z', by: who.arn, reason: 'c' }]);
  });
});
