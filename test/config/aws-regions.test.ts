import * as fs from 'fs';
import * as path from 'path';
import { AWS_REGIONS } from '../../lib/config/aws-regions';
import { GENESYS_REGION_DOMAINS } from '../../lib/config/presets';

/** Region names in the installed AWS SDK's partition data. */
function sdkRegions(): string[] {
  const file = path.join(
    path.dirname(require.resolve('@aws-sdk/core/package.json')),
    'dist-es/submodules/client/util-endpoints/lib/aws/partitions.js',
  );
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/"([a-z]+(?:-[a-z]+)+-\d+)":\s*\{\s*"description"/g)].map((m) => m[1]);
}

test('the committed region list holds every region the installed AWS SDK knows', () => {
  const known = sdkRegions();
  expect(known.length).toBeGreaterThan(40);
  expect(known.filter((r) => !AWS_REGIONS.has(r))).toEqual([]);
});

test('it holds the GovCloud, China and recent commercial regions', () => {
  for (const r of [
    'us-gov-west-1',
    'us-gov-east-1',
    'cn-north-1',
    'cn-northwest-1',
    'mx-central-1',
    'ap-southeast-5',
    'ap-southeast-7',
    'ca-west-1',
  ]) {
    expect(AWS_REGIONS.has(r)).toBe(true);
  }
  expect(AWS_REGIONS.has('eu-wset-1')).toBe(false);
});

test('every Genesys Cloud region is an AWS region', () => {
  expect(Object.keys(GENESYS_REGION_DOMAINS).filter((r) => !AWS_REGIONS.has(r))).toEqual([]);
});
