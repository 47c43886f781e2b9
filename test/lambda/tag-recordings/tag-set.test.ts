import { mergeTag } from '../../../lambda/tag-recordings/tag-set';

test('adds the tag and keeps every other tag (G1)', () => {
  expect(mergeTag([{ Key: 'lob', Value: 'sales' }], 'retention', 'short')).toEqual([
    { Key: 'lob', Value: 'sales' },
    { Key: 'retention', Value: 'short' },
  ]);
});

test('replaces a different value of the tag', () => {
  expect(
    mergeTag(
      [
        { Key: 'retention', Value: 'long' },
        { Key: 'lob', Value: 'sales' },
      ],
      'retention',
      'short',
    ),
  ).toEqual([
    { Key: 'lob', Value: 'sales' },
    { Key: 'retention', Value: 'short' },
  ]);
});

test('asks for no write when the tag is already right (idempotent redelivery)', () => {
  expect(mergeTag([{ Key: 'retention', Value: 'short' }], 'retention', 'short')).toBeUndefined();
});

test('refuses to add an eleventh tag', () => {
  const full = Array.from({ length: 10 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  expect(() => mergeTag(full, 'retention', 'short')).toThrow(
    "The object already has 10 tags, so the tag 'retention' cannot be added.",
  );
  expect(mergeTag([...full.slice(0, 9), { Key: 'retention', Value: 'long' }], 'retention', 'short')).toHaveLength(10);
});
