import { mergeRules, removeOwnRules } from '../../../lambda/connect-lifecycle/merge';

const PREFIX = 'recording-archive-';
const foreign: Array<{ ID?: string; Status: string }> = [
  { ID: 'owner-glacier', Status: 'Enabled' },
  { Status: 'Enabled' },
  { ID: 'owner-expire-logs', Status: 'Enabled' },
];
const ours = [
  { ID: 'recording-archive-retention-class-short', Status: 'Enabled' },
  { ID: 'recording-archive-retention-class-long', Status: 'Enabled' },
];

test('keeps foreign rules in order (also one without an ID) and appends ours', () => {
  expect(mergeRules(foreign, ours, PREFIX)).toEqual([...foreign, ...ours]);
});

test('replaces our previous rules instead of adding to them', () => {
  const before = [...foreign, { ID: 'recording-archive-retention-class-old', Status: 'Enabled' }];
  expect(mergeRules(before, ours, PREFIX)).toEqual([...foreign, ...ours]);
});

test('removes only our rules', () => {
  expect(removeOwnRules([...foreign, ...ours], PREFIX)).toEqual(foreign);
  expect(removeOwnRules(ours, PREFIX)).toEqual([]);
});

test('refuses an own rule outside the prefix', () => {
  expect(() => mergeRules(foreign, [{ ID: 'retention-class-short', Status: 'Enabled' }], PREFIX)).toThrow(
    "The rule 'retention-class-short' does not start with 'recording-archive-', so it could not be removed later.",
  );
});

test('refuses duplicate rule IDs', () => {
  expect(() => mergeRules(foreign, [ours[0], ours[0]], PREFIX)).toThrow(
    "The lifecycle rule ID 'recording-archive-retention-class-short' would appear twice.",
  );
});

test("refuses more than S3's 1,000 rules", () => {
  const many = Array.from({ length: 999 }, (_, i) => ({ ID: `owner-${i}` }));
  expect(() => mergeRules(many, ours, PREFIX)).toThrow(
    "The merged lifecycle configuration would hold 1001 rules, more than S3's 1000.",
  );
});
