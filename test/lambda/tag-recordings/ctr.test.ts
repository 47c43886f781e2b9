import { parseCtr, planTags, splitLocation } from '../../../lambda/tag-recordings/ctr';
import { ctr } from '../../fixtures/connect-ctr';

const settings = { tagKey: 'retention', classes: ['short', 'long'], defaultClass: 'long' };
const location = 'amazon-connect-abc/connect/inst/CallRecordings/2026/11/23/c1_20261123T11:34_UTC.wav';

describe('parseCtr', () => {
  test('refuses a record that is not JSON', () => {
    expect(() => parseCtr('{"ContactId": ')).toThrow('The record is not JSON, so it is not a contact trace record.');
  });
  test('refuses JSON without a ContactId', () => {
    expect(() => parseCtr('{"Recording": null}')).toThrow(
      'The record is not a contact trace record: ContactId Invalid input: expected string, received undefined.',
    );
  });
  test('keeps fields it does not read', () => {
    expect(parseCtr(JSON.stringify(ctr('c1', location)))).toMatchObject({ ContactId: 'c1', Channel: 'VOICE' });
  });
});

describe('splitLocation', () => {
  test('splits on the first slash only, keeping colons and spaces in the key', () => {
    expect(splitLocation('bucket-a/a b/c:d/e f.wav')).toEqual({ bucket: 'bucket-a', key: 'a b/c:d/e f.wav' });
  });
  test.each(['no-slash', '/key-only', 'bucket-only/'])('refuses %s', (bad) => {
    expect(() => splitLocation(bad)).toThrow(`The recording location '${bad}' is not of the form bucket/key.`);
  });
});

describe('planTags', () => {
  test('tags the recording once with the class the contact flow set', () => {
    const plan = planTags(parseCtr(JSON.stringify(ctr('c1', location, { retention: 'short' }))), settings);
    expect(plan).toEqual({
      contactId: 'c1',
      operations: [
        {
          bucket: 'amazon-connect-abc',
          key: location.slice('amazon-connect-abc/'.length),
          tagKey: 'retention',
          value: 'short',
        },
      ],
      defaulted: undefined,
    });
  });
  test('uses the default class for an unknown class and says so', () => {
    const plan = planTags(parseCtr(JSON.stringify(ctr('c1', location, { retention: 'forever' }))), settings);
    expect(plan.operations.map((o) => o.value)).toEqual(['long']);
    expect(plan.defaulted).toEqual({ requested: 'forever', reason: 'unknown' });
  });
  test('uses the default class when no class is set', () => {
    const plan = planTags(parseCtr(JSON.stringify(ctr('c1', location))), settings);
    expect(plan.defaulted).toEqual({ requested: undefined, reason: 'missing' });
  });
  test('reads every S3 recording, skipping nulls and Kinesis Video Streams', () => {
    const record = ctr('c1', null, { retention: 'short' });
    record.Recordings = [
      null,
      { Location: 'b1/k1', StorageType: 'S3' },
      { Location: 'arn:aws:kinesisvideo:us-east-1:1:stream/s', StorageType: 'KINESIS_VIDEO_STREAM' },
      { Location: 'b2/k2', StorageType: 'S3' },
    ];
    expect(planTags(parseCtr(JSON.stringify(record)), settings).operations.map((o) => `${o.bucket}|${o.key}`)).toEqual([
      'b1|k1',
      'b2|k2',
    ]);
  });
  test('plans nothing for a contact without recordings', () => {
    expect(planTags(parseCtr(JSON.stringify(ctr('c1', null))), settings).operations).toEqual([]);
  });
  test('fails a CTR with an S3 recording that has no Location', () => {
    const record = ctr('c9', null);
    record.Recordings = [{ StorageType: 'S3', Location: null }];
    expect(() => planTags(parseCtr(JSON.stringify(record)), settings)).toThrow(
      'Contact c9 has an S3 recording without a Location.',
    );
  });
});
