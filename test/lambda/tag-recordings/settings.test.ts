import { readSettings } from '../../../lambda/tag-recordings/settings';

const env = { RETENTION_TAG_KEY: 'retention', RETENTION_CLASSES: 'short, long', DEFAULT_RETENTION_CLASS: 'long' };

test('reads the classes comma-separated and defaults the tuning values', () => {
  expect(readSettings(env)).toEqual({
    tagKey: 'retention',
    classes: ['short', 'long'],
    defaultClass: 'long',
    concurrency: 50,
    missingObjectAttempts: 6,
    missingObjectDelayMs: 500,
  });
});

test('reads the tuning values', () => {
  expect(
    readSettings({ ...env, TAG_CONCURRENCY: '8', MISSING_OBJECT_ATTEMPTS: '2', MISSING_OBJECT_DELAY_MS: '10' }),
  ).toMatchObject({
    concurrency: 8,
    missingObjectAttempts: 2,
    missingObjectDelayMs: 10,
  });
});

test('refuses a missing variable', () => {
  expect(() => readSettings({ ...env, RETENTION_TAG_KEY: undefined })).toThrow(
    'The environment variable RETENTION_TAG_KEY is not set.',
  );
});

test('refuses a default class that is not a class', () => {
  expect(() => readSettings({ ...env, DEFAULT_RETENTION_CLASS: 'forever' })).toThrow(
    "DEFAULT_RETENTION_CLASS 'forever' is not one of RETENTION_CLASSES (short, long).",
  );
});

test('refuses a concurrency that is not a positive integer', () => {
  expect(() => readSettings({ ...env, TAG_CONCURRENCY: '0' })).toThrow(
    "The environment variable TAG_CONCURRENCY must be a positive integer, not '0'.",
  );
});
