import { readSettings } from '../../../lambda/pointer-integrity/settings';

const ENV = {
  ENVIRONMENT_NAME: 'test',
  ARCHIVE_BUCKET: 'archive-test',
  ARCHIVE_KEY_ARN: 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555',
  RECORDINGS_PREFIX: 'recordings/',
  KEY_LAYOUT: '{orgId}/year={yyyy}/month={mm}/day={dd}/hour={hh}/conversation_id={conversationId}/',
  GENESYS_ORG_ID: 'org-1',
  PLATFORM_RETENTION_DAYS: '730',
  HORIZON_DAYS: '3',
  LOOKBACK_DAYS: '7',
  RETENTION_TAG_KEY: 'retention',
  RETENTION_CLASSES: 'short,long',
  REPORT_PREFIX: 'reports/pointer-integrity/',
  ALARM_TOPIC_ARN: 'arn:aws:sns:us-east-1:111111111111:alarms',
  CONTINUATION_TOPIC_ARN: 'arn:aws:sns:us-east-1:111111111111:continuation',
};

test('OVER_RETENTION names the measured copies with their rules; without it nothing is measured', () => {
  expect(readSettings(ENV).measuredCopies).toEqual([]);
  const copies = {
    copies: [
      {
        copy: 'archive',
        bucket: 'archive-test',
        noncurrentDays: 1,
        rules: [{ id: 'archive-window', prefix: 'recordings/', days: 730 }],
      },
      {
        copy: 'replica',
        bucket: 'replica-test',
        region: 'us-west-2',
        noncurrentDays: 1,
        rules: [{ id: 'archive-window', prefix: 'recordings/', days: 730 }],
        list: { layout: 'genesys' },
      },
      {
        copy: 'connect-bucket',
        bucket: 'connect-test',
        noncurrentDays: 2,
        rules: [{ id: 'c-short', prefix: 'c/', tags: { retention: 'short' }, days: 30 }],
        list: { layout: 'connect', prefix: 'c/' },
      },
    ],
  };
  const settings = readSettings({ ...ENV, OVER_RETENTION: JSON.stringify(copies) });
  expect(settings.measuredCopies).toEqual([
    { ...copies.copies[0], rules: [{ id: 'archive-window', prefix: 'recordings/', tags: {}, days: 730 }] },
    { ...copies.copies[1], rules: [{ id: 'archive-window', prefix: 'recordings/', tags: {}, days: 730 }] },
    copies.copies[2],
  ]);
});

test('an OVER_RETENTION that is not what the stack writes is refused in one sentence naming the place', () => {
  expect(() => readSettings({ ...ENV, OVER_RETENTION: '{not json' })).toThrow(
    /^The environment variable OVER_RETENTION is not the JSON the stack writes \(.+\)\.$/,
  );
  const bad = {
    copies: [{ copy: 'archive', bucket: 'archive-test', noncurrentDays: 0, rules: [] }],
  };
  expect(() => readSettings({ ...ENV, OVER_RETENTION: JSON.stringify(bad) })).toThrow(
    /^The environment variable OVER_RETENTION is not the JSON the stack writes at copies\.0\.noncurrentDays \(.+\)\.$/,
  );
});
