import * as path from 'path';
import { buildSync } from 'esbuild';
import { z } from 'zod';
import { modelSchema } from '../../../../lambda/shared/genesys/sdk-model';
import type { Models } from '../../../../lambda/shared/genesys/wire';

const ROOT = path.join(__dirname, '..', '..', '..', '..');

test("modelSchema hands back the schema itself (the check is the compiler's)", () => {
  const schema = z.looseObject({ id: z.string(), percentProgress: z.number() });
  expect(modelSchema<Models.RecordingJob>()(schema)).toBe(schema);
});

test.each([
  'lambda/genesys-export-policy/on-event.ts',
  'lambda/genesys-connection/on-event.ts',
  'lambda/pointer-integrity/handler.ts',
])('the bundle of %s holds nothing of purecloud-platform-client-v2 (import type only)', (entry) => {
  const result = buildSync({
    entryPoints: [path.join(ROOT, entry)],
    bundle: true,
    platform: 'node',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: ['@aws-sdk/*'],
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.some((i) => i.includes('lambda/shared/genesys/client.ts'))).toBe(true);
  expect(inputs.filter((i) => i.includes('purecloud-platform-client-v2'))).toEqual([]);
});
