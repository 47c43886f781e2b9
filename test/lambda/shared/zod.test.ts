import * as z from '../../../lambda/shared/zod';

// zod/mini loads no locale, so without lambda/shared/zod.ts its issues would read "Invalid input".
// Each case is a schema of the classic API and its zod/mini rewrite, fed the same bad value.
type Mini = typeof z;
type Classic = typeof import('zod');
const CASES: ReadonlyArray<
  readonly [name: string, mini: (z: Mini) => z.core.$ZodType, classic: (c: Classic) => z.core.$ZodType, value: unknown]
> = [
  ['missing string field', (z) => z.object({ a: z.string() }), (c) => c.object({ a: c.string() }), {}],
  ['wrong type', (z) => z.object({ a: z.string() }), (c) => c.object({ a: c.string() }), { a: 1 }],
  ['too short string', (z) => z.string().check(z.minLength(3)), (c) => c.string().min(3), 'ab'],
  ['empty string', (z) => z.string().check(z.minLength(1)), (c) => c.string().min(1), ''],
  ['invalid enum', (z) => z.enum(['true', 'false']), (c) => c.enum(['true', 'false']), 'yes'],
  ['invalid literal', (z) => z.literal('2.0'), (c) => c.literal('2.0'), '1.0'],
  ['regex', (z) => z.string().check(z.regex(/^\d{12}$/)), (c) => c.string().regex(/^\d{12}$/), '12'],
  [
    'regex with its own message',
    (z) => z.string().check(z.regex(/^\d+$/, 'must be a whole number of days')),
    (c) => c.string().regex(/^\d+$/, 'must be a whole number of days'),
    'x',
  ],
  ['not an integer', (z) => z.number().check(z.int(), z.positive()), (c) => c.number().int().positive(), 1.5],
  ['not positive', (z) => z.number().check(z.int(), z.positive()), (c) => c.number().int().positive(), 0],
  ['negative', (z) => z.number().check(z.int(), z.nonnegative()), (c) => c.number().int().nonnegative(), -1],
  ['below minimum', (z) => z.number().check(z.int(), z.gte(0)), (c) => c.number().int().min(0), -1],
  ['coerced', (z) => z.coerce.number().check(z.int(), z.positive()), (c) => c.coerce.number().int().positive(), 'x'],
  ['empty array', (z) => z.array(z.string()).check(z.minLength(1)), (c) => c.array(c.string()).min(1), []],
  ['array length', (z) => z.array(z.string()).check(z.length(1)), (c) => c.array(c.string()).length(1), []],
  ['startsWith', (z) => z.string().check(z.startsWith('arn:')), (c) => c.string().startsWith('arn:'), 'x'],
  ['endsWith', (z) => z.string().check(z.endsWith('/')), (c) => c.string().endsWith('/'), 'x'],
  ['includes', (z) => z.string().check(z.includes('{dd}')), (c) => c.string().includes('{dd}'), 'x'],
  ['url', (z) => z.url(), (c) => c.url(), 'not a url'],
  ['ISO datetime', (z) => z.iso.datetime(), (c) => c.iso.datetime(), 'yesterday'],
  [
    'strict object',
    (z) => z.strictObject({ a: z.string() }),
    (c) => c.object({ a: c.string() }).strict(),
    { a: '', b: 1 },
  ],
  [
    'discriminated union',
    (z) => z.discriminatedUnion('t', [z.object({ t: z.literal('a') }), z.object({ t: z.literal('b') })]),
    (c) => c.discriminatedUnion('t', [c.object({ t: c.literal('a') }), c.object({ t: c.literal('b') })]),
    { t: 'c' },
  ],
  [
    'union',
    (z) => z.union([z.strictObject({ a: z.string() }), z.strictObject({ b: z.string() })]),
    (c) => c.union([c.object({ a: c.string() }).strict(), c.object({ b: c.string() }).strict()]),
    { c: 1 },
  ],
  ['record value', (z) => z.record(z.string(), z.string()), (c) => c.record(c.string(), c.string()), { a: 1 }],
];

const issuesOf = (schema: z.core.$ZodType, value: unknown) => {
  const result = z.safeParse(schema, value);
  if (result.success) throw new Error('the value was expected to fail');
  return result.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
};

// Computed at load, before classic zod is required (loading it sets the English locale itself).
const miniIssues = CASES.map(([, mini, , value]) => issuesOf(mini(z), value));

test('lambda/shared/zod gives zod/mini English messages, not "Invalid input"', () => {
  expect(miniIssues.slice(0, 5).map((issues) => issues[0].message)).toEqual([
    'Invalid input: expected string, received undefined',
    'Invalid input: expected string, received number',
    'Too small: expected string to have >=3 characters',
    'Too small: expected string to have >=1 characters',
    'Invalid option: expected one of "true"|"false"',
  ]);
});

test.each(CASES.map(([name], i) => [name, i] as const))("%s: the message is the classic API's", (_name, i) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const classic = require('zod') as Classic;
  const [, , toClassic, value] = CASES[i];
  expect(miniIssues[i]).toEqual(issuesOf(toClassic(classic), value));
});
