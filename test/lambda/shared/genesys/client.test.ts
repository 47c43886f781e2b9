import * as net from 'net';
import { z } from 'zod';
import { GenesysApiError, GenesysClient, GenesysClientOptions } from '../../../../lambda/shared/genesys/client';
import { describeError } from '../../../../scripts/lib/cli';
import { FakeGenesys } from '../../../support/fake-genesys';

let fake: FakeGenesys;
beforeAll(async () => {
  fake = await FakeGenesys.start();
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

const sleeps: number[] = [];
function client(overrides: Partial<GenesysClientOptions> = {}): GenesysClient {
  sleeps.length = 0;
  return new GenesysClient({
    loginBaseUrl: fake.baseUrl,
    apiBaseUrl: fake.baseUrl,
    credentials: { clientId: fake.clientId, clientSecret: fake.clientSecret },
    credentialsSource: "secret 'test/genesys-oauth'",
    retry: { baseDelayMs: 10, maxDelayMs: 50, budgetMs: 5000, attemptTimeoutMs: 300 },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<GenesysApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GenesysApiError);
  return error as GenesysApiError;
}

test('gets a client-credentials token once (Basic auth) and sends it as a bearer token', async () => {
  const c = client();
  await c.listIntegrations();
  await c.listCredentials();
  const tokenRequests = fake.received('POST', '/oauth/token');
  expect(tokenRequests).toHaveLength(1);
  expect(tokenRequests[0].body).toBe('grant_type=client_credentials');
  expect(fake.state.tokens.size).toBe(1);
});

test('a wrong client secret fails with the 401 from the login host and names the secret, not its value', async () => {
  const c = client({ credentials: { clientId: fake.clientId, clientSecret: 'wrong-secret-value' } });
  const error = await failure(c.listIntegrations());
  expect(error.message).toBe(
    "Genesys answered POST /oauth/token with 401 invalid_client: client not found (check clientId and clientSecret in secret 'test/genesys-oauth', and that the OAuth client uses the Client Credentials grant)",
  );
  expect(error.status).toBe(401);
  expect(JSON.stringify(error)).not.toContain('wrong-secret-value');
  expect(sleeps).toEqual([]);
});

test('an expired token is renewed once after a 401 from the API', async () => {
  const c = client();
  await c.listIntegrations();
  fake.state.tokens.clear();
  await expect(c.listIntegrations()).resolves.toEqual([]);
  expect(fake.received('POST', '/oauth/token')).toHaveLength(2);
});

test('429 waits exactly the Retry-After seconds, then succeeds', async () => {
  fake.inject({
    method: 'GET',
    path: '/api/v2/integrations',
    times: 2,
    response: {
      status: 429,
      headers: { 'retry-after': '2' },
      body: { status: 429, code: 'too.many.requests', message: 'Rate limit exceeded' },
    },
  });
  const c = client({ retry: { baseDelayMs: 10, maxDelayMs: 50, budgetMs: 10_000, attemptTimeoutMs: 300 } });
  await expect(c.listIntegrations()).resolves.toEqual([]);
  expect(sleeps).toEqual([2000, 2000]);
});

test('429 whose Retry-After does not fit the time budget fails with Genesys status, code and message', async () => {
  fake.inject({
    method: 'GET',
    path: '/api/v2/integrations',
    response: {
      status: 429,
      headers: { 'retry-after': '60' },
      body: { status: 429, code: 'too.many.requests', message: 'Rate limit exceeded' },
    },
  });
  const error = await failure(client().listIntegrations());
  expect(error.message).toBe(
    'Genesys answered GET /api/v2/integrations with 429 too.many.requests: Rate limit exceeded',
  );
  expect(sleeps).toEqual([]);
});

test('5xx backs off with jitter under an exponential ceiling, then succeeds', async () => {
  fake.inject({
    method: 'GET',
    path: '/api/v2/integrations',
    times: 3,
    response: { status: 503, body: { code: 'service.unavailable', message: 'busy' } },
  });
  await expect(client().listIntegrations()).resolves.toEqual([]);
  // random() = 0.5 of 10, 20, 40 ms
  expect(sleeps).toEqual([5, 10, 20]);
});

test('5xx past the time budget fails with the last Genesys error', async () => {
  fake.inject({
    method: 'GET',
    path: '/api/v2/integrations',
    times: 1000,
    response: { status: 500, body: { code: 'internal.server.error', message: 'boom' } },
  });
  let clock = 0;
  const c = client({
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms + 1000;
    },
  });
  const error = await failure(c.listIntegrations());
  expect(error.message).toBe('Genesys answered GET /api/v2/integrations with 500 internal.server.error: boom');
  expect(sleeps).toEqual([5, 10, 20, 25, 25]);
});

test('a request that times out is retried', async () => {
  fake.inject({ method: 'GET', path: '/api/v2/integrations', delayMs: 1000 });
  await expect(client().listIntegrations()).resolves.toEqual([]);
  expect(sleeps).toHaveLength(1);
});

test('timeouts until the budget runs out fail with a timeout error', async () => {
  fake.inject({ method: 'GET', path: '/api/v2/ipranges', times: 10, delayMs: 1000 });
  const c = client({ retry: { baseDelayMs: 10, maxDelayMs: 50, budgetMs: 700, attemptTimeoutMs: 300 } });
  const error = await failure(c.ipRanges());
  expect(error.message).toBe('Genesys answered GET /api/v2/ipranges with 0 timeout: no answer within 300 ms');
});

test('a malformed body fails precisely and is not retried', async () => {
  fake.inject({ method: 'GET', path: '/api/v2/integrations/:id', response: { status: 200, rawBody: '{"id": ' } });
  const error = await failure(client().getIntegration('abc'));
  expect(error.message).toBe(
    'Genesys answered GET /api/v2/integrations/abc with 200 malformed.response: the response body is not JSON',
  );
  expect(sleeps).toEqual([]);
});

test('a body of the wrong shape names the field', async () => {
  fake.inject({ method: 'GET', path: '/api/v2/integrations/:id', response: { status: 200, body: { name: 'no id' } } });
  const error = await failure(client().getIntegration('abc'));
  expect(error.message).toBe(
    "Genesys answered GET /api/v2/integrations/abc with 200 malformed.response: the response does not match the expected shape at 'id': Invalid input: expected string, received undefined",
  );
});

test('a non-JSON error body keeps the status and an excerpt', async () => {
  fake.inject({
    method: 'GET',
    path: '/api/v2/integrations/:id',
    response: { status: 400, rawBody: '<html>Bad gateway config</html>' },
  });
  const error = await failure(client().getIntegration('abc'));
  expect(error.message).toBe(
    'Genesys answered GET /api/v2/integrations/abc with 400 unknown: <html>Bad gateway config</html>',
  );
});

test('404 answers undefined from find helpers and false from deletes', async () => {
  const c = client();
  await expect(c.getIntegration('missing')).resolves.toBeUndefined();
  await expect(c.deleteIntegration('missing')).resolves.toBe(false);
  await expect(c.deleteCredential('missing')).resolves.toBe(false);
});

test('409 is an answer, not retried', async () => {
  fake.inject({
    method: 'PUT',
    path: '/api/v2/integrations/:id/config/current',
    response: { status: 409, body: { code: 'conflict', message: 'version conflict' } },
  });
  const error = await failure(
    client().putIntegrationConfig('x', { version: 1, properties: {}, advanced: {}, credentials: {} }),
  );
  expect(error.message).toBe(
    'Genesys answered PUT /api/v2/integrations/x/config/current with 409 conflict: version conflict',
  );
  expect(sleeps).toEqual([]);
});

test('lists follow pageCount across pages', async () => {
  const c = client();
  for (let i = 0; i < 230; i++) await c.createRoleCredential(`cred-${i}`, 'arn:aws:iam::111111111111:role/x');
  const all = await c.listCredentials();
  expect(all).toHaveLength(230);
  expect(fake.received('GET', '/api/v2/integrations/credentials').map((r) => r.query)).toEqual([
    '?pageSize=100&pageNumber=1',
    '?pageSize=100&pageNumber=2',
    '?pageSize=100&pageNumber=3',
  ]);
});

test('ipranges needs no credentials; the generic request method validates any route', async () => {
  fake.state.ipRanges = [{ cidr: '203.0.113.0/24', service: 'data-actions', region: 'us-east-1' }];
  fake.route('GET', '/api/v2/conversations/:id/recordingmetadata', (r) => ({
    status: 200,
    body: [{ id: 'rec-1', conversationId: r.params.id }],
  }));
  const anonymous = new GenesysClient({ loginBaseUrl: fake.baseUrl, apiBaseUrl: fake.baseUrl });
  await expect(anonymous.ipRanges()).resolves.toEqual([
    { cidr: '203.0.113.0/24', service: 'data-actions', region: 'us-east-1' },
  ]);
  await expect(anonymous.listIntegrations()).rejects.toThrow(
    'This Genesys call needs OAuth client credentials, and the client was created without them.',
  );
  const metadata = await client().request(
    'GET',
    '/api/v2/conversations/c-1/recordingmetadata',
    z.array(z.looseObject({ id: z.string(), conversationId: z.string() })),
  );
  expect(metadata).toEqual([{ id: 'rec-1', conversationId: 'c-1' }]);
});

test("the client's total budget bounds all its calls together", async () => {
  fake.inject({
    method: 'GET',
    path: '/api/v2/integrations',
    times: 1000,
    response: { status: 503, body: { code: 'service.unavailable', message: 'busy' } },
  });
  let clock = 0;
  const c = client({
    retry: { baseDelayMs: 10, maxDelayMs: 50, budgetMs: 60_000, totalBudgetMs: 3000, attemptTimeoutMs: 300 },
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += 1000;
    },
  });
  await expect(c.listIntegrations()).rejects.toThrow(
    'Genesys answered GET /api/v2/integrations with 503 service.unavailable: busy',
  );
  expect(sleeps).toHaveLength(3);
});

test('a POST answered 500 is sent exactly once and fails with the Genesys error', async () => {
  fake.inject({
    method: 'POST',
    path: '/api/v2/integrations/credentials',
    response: { status: 500, body: { code: 'internal.server.error', message: 'boom' } },
  });
  const error = await failure(client().createRoleCredential('cred', 'arn:aws:iam::111111111111:role/x'));
  expect(error.message).toBe(
    'Genesys answered POST /api/v2/integrations/credentials with 500 internal.server.error: boom',
  );
  expect(fake.received('POST', '/api/v2/integrations/credentials')).toHaveLength(1);
  expect(sleeps).toEqual([]);
});

test('a POST that lands but times out is not repeated, so it creates nothing twice', async () => {
  fake.inject({ method: 'POST', path: '/api/v2/integrations', delayMs: 600 });
  const error = await failure(client().createIntegration('recording-archive-sample'));
  expect(error.message).toBe('Genesys answered POST /api/v2/integrations with 0 timeout: no answer within 300 ms');
  // The fake answers (and creates) once its delay ends.
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(fake.received('POST', '/api/v2/integrations')).toHaveLength(1);
  expect(fake.state.integrations.size).toBe(1);
  expect(sleeps).toEqual([]);
});

test('a POST answered 429 was not processed, so it is retried', async () => {
  fake.inject({
    method: 'POST',
    path: '/api/v2/integrations/credentials',
    response: {
      status: 429,
      headers: { 'retry-after': '1' },
      body: { status: 429, code: 'too.many.requests', message: 'Rate limit exceeded' },
    },
  });
  await expect(client().createRoleCredential('cred', 'arn:aws:iam::111111111111:role/x')).resolves.toMatchObject({
    name: 'cred',
  });
  expect(fake.received('POST', '/api/v2/integrations/credentials')).toHaveLength(2);
  expect(fake.state.credentials.size).toBe(1);
  expect(sleeps).toEqual([1000]);
});

test('a POST query only reads, so it is retried after 5xx', async () => {
  fake.route('POST', '/api/v2/analytics/conversations/details/query', () => ({
    status: 200,
    body: { conversations: [] },
  }));
  fake.inject({
    method: 'POST',
    path: '/api/v2/analytics/conversations/details/query',
    response: { status: 503, body: { code: 'service.unavailable', message: 'busy' } },
  });
  const answer = await client().request(
    'POST',
    '/api/v2/analytics/conversations/details/query',
    z.looseObject({ conversations: z.array(z.unknown()) }),
    { body: {} },
  );
  expect(answer).toEqual({ conversations: [] });
  expect(fake.received('POST', '/api/v2/analytics/conversations/details/query')).toHaveLength(2);
});

test('429 with Retry-After: 0 still backs off, growing with each attempt', async () => {
  fake.inject({
    method: 'GET',
    path: '/api/v2/integrations',
    times: 3,
    response: {
      status: 429,
      headers: { 'retry-after': '0' },
      body: { status: 429, code: 'too.many.requests', message: 'Rate limit exceeded' },
    },
  });
  await expect(client().listIntegrations()).resolves.toEqual([]);
  // Half of the 10, 20, 40 ms ceilings plus half again of the jitter (random() = 0.5).
  expect(sleeps).toEqual([7, 15, 30]);
});

function fillCredentials(count: number): void {
  for (let i = 0; i < count; i++) {
    const id = `cred-${i}`;
    fake.state.credentials.set(id, {
      id,
      name: id,
      type: { name: 'amazonWebServicesARN' },
      credentialFields: { ARN: 'arn:aws:iam::111111111111:role/x' },
    });
  }
}

test('a list longer than 50 pages fails instead of answering part of it', async () => {
  fillCredentials(5001);
  await expect(client().listCredentials()).rejects.toThrow(
    'Genesys lists 51 pages of 100 at GET /api/v2/integrations/credentials, more than the 50 this app reads, so a lookup by name could miss an existing entry; delete unused entries in Genesys or raise MAX_PAGES in lambda/shared/genesys/client.ts.',
  );
  expect(fake.received('GET', '/api/v2/integrations/credentials')).toHaveLength(1);
});

test('a list of exactly 50 pages is read whole', async () => {
  fillCredentials(5000);
  await expect(client().listCredentials()).resolves.toHaveLength(5000);
  expect(fake.received('GET', '/api/v2/integrations/credentials')).toHaveLength(50);
});

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('a host that refuses connections is tried twice, not for the whole budget, and the error names it', async () => {
  const port = await closedPort();
  const url = `http://127.0.0.1:${port}`;
  const c = client({ loginBaseUrl: url, apiBaseUrl: url, retry: { budgetMs: 60_000 } });
  const error = await failure(c.ipRanges());
  expect(error.message).toBe(
    `Genesys answered GET /api/v2/ipranges with 0 unreachable: could not reach 127.0.0.1:${port} (ECONNREFUSED)`,
  );
  expect(sleeps).toHaveLength(1);
  // A create that never reached Genesys is safe to repeat: it gets the same one retry.
  const create = await failure(c.createIntegration('recording-archive-test'));
  expect(create.code).toBe('unreachable');
  expect(sleeps).toHaveLength(2);
  // The command line's one sentence comes from the cause: the host and the fix.
  expect(describeError(error)).toBe(
    `Could not reach 127.0.0.1:${port} (ECONNREFUSED); check the network, the region or --base-url.`,
  );
});

test('a port fetch refuses outright (the bad-port list) is not retried for the budget either', async () => {
  const c = client({ loginBaseUrl: 'http://127.0.0.1:6000', apiBaseUrl: 'http://127.0.0.1:6000' });
  const error = await failure(c.ipRanges());
  expect(error.message).toBe(
    'Genesys answered GET /api/v2/ipranges with 0 unreachable: fetch refuses to connect to port 6000 (127.0.0.1:6000); use another port',
  );
  expect(sleeps).toHaveLength(1);
});
