import { handler } from '../../../lambda/genesys-ip-ranges-drift/handler';
import { cidrDrift, cidrsOf } from '../../../lambda/shared/genesys/ip-ranges';
import { captureOutput } from '../../support/capture-output';
import { FakeGenesys } from '../../support/fake-genesys';

let fake: FakeGenesys;
let output: string[];
beforeAll(async () => {
  fake = await FakeGenesys.start();
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.reset();
  fake.state.ipRanges = [
    { cidr: '198.51.100.0/24', service: 'data-actions', region: 'us-east-1' },
    { cidr: '192.0.2.0/24', service: 'data-actions', region: 'us-east-1' },
    { cidr: '203.0.113.0/24', service: 'smtp', region: 'us-east-1' },
  ];
  output = captureOutput();
});
afterEach(() => jest.restoreAllMocks());

const event = (deployedCidrs: string[]) => ({
  envName: 'sample',
  apiBaseUrl: fake.baseUrl,
  services: ['data-actions'],
  deployedCidrs,
});

/** The CidrDrift value of the EMF document the handler printed. */
function publishedDrift(): number {
  const emf = output
    .map((line) => line.trim())
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line));
  expect(emf).toHaveLength(1);
  expect(emf[0]._aws.CloudWatchMetrics[0]).toMatchObject({
    Namespace: 'RecordingArchive/Genesys',
    Dimensions: [expect.arrayContaining(['service', 'Environment'])],
    Metrics: [{ Name: 'CidrDrift', Unit: 'Count' }],
  });
  expect(emf[0]).toMatchObject({ service: 'genesys-ip-ranges-drift', Environment: 'sample' });
  return emf[0].CidrDrift;
}

test('pure logic: keeps the configured services, sorted and unique, and diffs both ways', () => {
  expect(
    cidrsOf([...fake.state.ipRanges, { cidr: '192.0.2.0/24', service: 'data-actions' }], ['data-actions']),
  ).toEqual(['192.0.2.0/24', '198.51.100.0/24']);
  expect(cidrDrift(['192.0.2.0/24', '10.0.0.0/8'], ['192.0.2.0/24', '198.51.100.0/24'])).toEqual({
    added: ['198.51.100.0/24'],
    removed: ['10.0.0.0/8'],
  });
});

test('a deployed list equal to the feed publishes 0 (the alarm returns to OK)', async () => {
  await expect(handler(event(['198.51.100.0/24', '192.0.2.0/24']))).resolves.toEqual({ added: [], removed: [] });
  expect(publishedDrift()).toBe(0);
  expect(fake.received('GET', '/api/v2/ipranges')).toHaveLength(1);
  expect(fake.received('POST', '/oauth/token')).toEqual([]);
});

test('a difference publishes the number of differing CIDRs and logs them', async () => {
  await expect(handler(event(['192.0.2.0/24', '203.0.113.128/25']))).resolves.toEqual({
    added: ['198.51.100.0/24'],
    removed: ['203.0.113.128/25'],
  });
  expect(publishedDrift()).toBe(2);
  expect(output.join('')).toContain('Genesys CIDR list drifted from the deployed list');
});

test('an unreachable or malformed feed fails the run (the failure alarm counts it)', async () => {
  fake.inject({ method: 'GET', path: '/api/v2/ipranges', response: { status: 200, rawBody: 'not json' } });
  await expect(handler(event(['192.0.2.0/24']))).rejects.toThrow(
    'Genesys answered GET /api/v2/ipranges with 200 malformed.response: the response body is not JSON',
  );
});

test('a malformed schedule input fails at the edge', async () => {
  await expect(
    handler({ envName: 'sample', apiBaseUrl: fake.baseUrl, services: ['data-actions'], deployedCidrs: [] }),
  ).rejects.toThrow("The event is malformed at 'deployedCidrs': Too small: expected array to have >=1 items.");
});
