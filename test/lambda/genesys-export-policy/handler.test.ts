import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambda/genesys-export-policy/on-event';
import { POLICY_DESCRIPTION } from '../../../lambda/genesys-export-policy/plan';
import { captureOutput } from '../../support/capture-output';
import { FakeGenesys } from '../../support/fake-genesys';

// Secrets Manager has no emulator here: aws-sdk-client-mock answers GetSecretValue only.
const secrets = mockClient(SecretsManagerClient);
const SECRET_NAME = 'recording-archive/sample/genesys-oauth';
const INTEGRATION_ID = 'b7a3c0de-0000-4000-8000-000000000001';

let fake: FakeGenesys;
let output: string[];
beforeAll(async () => {
  fake = await FakeGenesys.start('policy-client-id', 'P0licy-S3cret-never-printed');
});
afterAll(() => fake.stop());

beforeEach(() => {
  fake.reset();
  secrets.reset();
  secrets
    .on(GetSecretValueCommand, { SecretId: SECRET_NAME })
    .resolves({ SecretString: JSON.stringify({ clientId: fake.clientId, clientSecret: fake.clientSecret }) });
  fake.state.integrations.set(INTEGRATION_ID, {
    id: INTEGRATION_ID,
    name: 'recording-archive-sample',
    integrationType: { id: 'aws-s3-recording-bulk-actions-integration' },
    intendedState: 'ENABLED',
    reportedState: { code: 'ACTIVE', effective: 'Active' },
    pollsUntilSettled: 0,
  });
  output = captureOutput();
});

afterEach(() => {
  jest.restoreAllMocks();
  const printed = output.join('');
  expect(printed).not.toContain(fake.clientSecret);
  expect(printed).not.toContain(Buffer.from(`${fake.clientId}:${fake.clientSecret}`).toString('base64'));
});

function properties(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:provider',
    PolicyName: 'recording-archive-sample',
    IntegrationId: INTEGRATION_ID,
    DeleteNativeCopy: 'true',
    DeleteRetentionDays: '730',
    ShouldExportScreenRecordings: 'false',
    MediaTypes: ['call'],
    Queues: [],
    Directions: [],
    WrapupCodes: [],
    OAuthSecretName: SECRET_NAME,
    LoginBaseUrl: fake.baseUrl,
    ApiBaseUrl: fake.baseUrl,
    ...overrides,
  };
}
const base = {
  StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/s/1',
  RequestId: 'r',
  LogicalResourceId: 'ExportPolicy',
  ResourceType: 'Custom::GenesysExportPolicy',
};
const create = (props = properties()) => handler({ ...base, RequestType: 'Create', ResourceProperties: props });
const update = (id: string, props: Record<string, unknown>) =>
  handler({
    ...base,
    RequestType: 'Update',
    PhysicalResourceId: id,
    ResourceProperties: props,
    OldResourceProperties: properties(),
  });
const remove = (id: string) =>
  handler({ ...base, RequestType: 'Delete', PhysicalResourceId: id, ResourceProperties: properties() });

const EXPECTED_ACTIONS = {
  retainRecording: true,
  deleteRecording: false,
  alwaysDelete: false,
  integrationExport: { integration: { id: INTEGRATION_ID }, shouldExportScreenRecordings: false },
  retentionDuration: { deleteRetention: { days: 730 } },
};

/** A policy somebody else made in the same org. */
function foreignPolicy(name = 'quality-team-retention') {
  const id = 'f0f0f0f0-0000-4000-8000-00000000f0f0';
  const policy = {
    id,
    name,
    enabled: true,
    actions: { retainRecording: true, retentionDuration: { deleteRetention: { days: 30 } } },
  };
  fake.state.policies.set(id, structuredClone(policy));
  return policy;
}

test('Create writes one policy that exports every call to the integration and deletes the native copy at the platform window', async () => {
  const answer = await create();
  expect(fake.state.policies.size).toBe(1);
  const policy = fake.state.policies.get(answer.PhysicalResourceId)!;
  expect(answer).toEqual({ PhysicalResourceId: policy.id, Data: { PolicyId: policy.id } });
  expect(policy).toMatchObject({
    name: 'recording-archive-sample',
    description: POLICY_DESCRIPTION,
    enabled: true,
    mediaPolicies: { callPolicy: { actions: EXPECTED_ACTIONS, conditions: {} } },
  });
  expect(Object.keys(policy.mediaPolicies as object)).toEqual(['callPolicy']);
  expect(fake.received('POST', '/api/v2/recording/mediaretentionpolicies')).toHaveLength(1);
});

test('Update follows a change of days and of conditions, in place', async () => {
  const { PhysicalResourceId: id } = await create();
  const answer = await update(
    id,
    properties({
      DeleteRetentionDays: '2190',
      Directions: ['INBOUND'],
      Queues: [{ Id: 'q-1', Name: 'Claims' }],
      WrapupCodes: [{ Id: 'w-1', Name: 'Resolved' }],
    }),
  );
  expect(answer.PhysicalResourceId).toBe(id);
  expect(fake.state.policies.size).toBe(1);
  expect(fake.state.policies.get(id)!.mediaPolicies).toEqual({
    callPolicy: {
      actions: { ...EXPECTED_ACTIONS, retentionDuration: { deleteRetention: { days: 2190 } } },
      conditions: {
        forQueues: [{ id: 'q-1', name: 'Claims' }],
        wrapupCodes: [{ id: 'w-1', name: 'Resolved' }],
        directions: ['INBOUND'],
      },
    },
  });
});

test('turning the native delete off keeps the export and drops the retention duration', async () => {
  const { PhysicalResourceId: id } = await create(
    properties({ DeleteNativeCopy: 'false', MediaTypes: ['call', 'chat'], ShouldExportScreenRecordings: 'true' }),
  );
  const { callPolicy, chatPolicy } = fake.state.policies.get(id)!.mediaPolicies as Record<
    string,
    { actions: Record<string, unknown> }
  >;
  expect(callPolicy.actions).toEqual({
    retainRecording: true,
    deleteRecording: false,
    alwaysDelete: false,
    integrationExport: { integration: { id: INTEGRATION_ID }, shouldExportScreenRecordings: true },
  });
  expect(chatPolicy.actions).toEqual(callPolicy.actions);
});

test('a retried Create finds the policy by name instead of creating a second one', async () => {
  const first = await create();
  const second = await create();
  expect(second.PhysicalResourceId).toBe(first.PhysicalResourceId);
  expect(fake.state.policies.size).toBe(1);
  expect(fake.received('POST', '/api/v2/recording/mediaretentionpolicies')).toHaveLength(1);
});

test('a Create whose answer was lost (the policy landed) converges on the next attempt', async () => {
  fake.inject({
    method: 'POST',
    path: '/api/v2/recording/mediaretentionpolicies',
    afterRoute: true,
    response: { status: 503, body: { code: 'service.unavailable', message: 'try again' } },
  });
  await expect(create()).rejects.toThrow(
    'Genesys answered POST /api/v2/recording/mediaretentionpolicies with 503 service.unavailable: try again',
  );
  // A POST is never repeated after a 5xx, so exactly one policy exists; the retried event adopts it.
  expect(fake.state.policies.size).toBe(1);
  const answer = await create();
  expect(fake.state.policies.size).toBe(1);
  expect(answer.PhysicalResourceId).toBe([...fake.state.policies.keys()][0]);
});

test('a name conflict at create (a concurrent retry) adopts the policy of that name', async () => {
  // The first lookup misses the policy that a concurrent attempt is creating; the POST then conflicts.
  fake.state.policies.set('raced', { id: 'raced', name: 'recording-archive-sample' });
  fake.inject({
    method: 'GET',
    path: '/api/v2/recording/mediaretentionpolicies',
    response: { status: 200, body: { entities: [], pageCount: 1 } },
  });
  const answer = await create();
  expect(answer.PhysicalResourceId).toBe('raced');
  expect(fake.state.policies.size).toBe(1);
  expect(fake.state.policies.get('raced')!.mediaPolicies).toBeDefined();
  expect(fake.received('POST', '/api/v2/recording/mediaretentionpolicies')).toHaveLength(1);
});

test('a foreign policy of the same org, even one whose name starts like ours, is left untouched', async () => {
  const foreign = foreignPolicy('recording-archive-sample-legacy');
  const { PhysicalResourceId: id } = await create();
  await update(id, properties({ DeleteRetentionDays: '800' }));
  await remove(id);
  expect(fake.state.policies.get(foreign.id)).toEqual(foreign);
  expect(fake.state.policies.size).toBe(1);
  const touched = fake.requests.filter((r) => r.path.endsWith(foreign.id));
  expect(touched).toEqual([]);
});

test('Delete removes the policy; a retried Delete finds it gone and succeeds', async () => {
  const { PhysicalResourceId: id } = await create();
  await expect(remove(id)).resolves.toEqual({ PhysicalResourceId: id });
  expect(fake.state.policies.size).toBe(0);
  await expect(remove(id)).resolves.toEqual({ PhysicalResourceId: id });
});

test('an Update whose policy was deleted in Genesys creates it again under a new id', async () => {
  const { PhysicalResourceId: id } = await create();
  fake.state.policies.clear();
  const answer = await update(id, properties());
  expect(answer.PhysicalResourceId).not.toBe(id);
  expect(fake.state.policies.size).toBe(1);
});

test('directions with non-call media are refused before any call to Genesys', async () => {
  await expect(create(properties({ Directions: ['INBOUND'], MediaTypes: ['call', 'email'] }))).rejects.toThrow(
    "The export policy recording-archive-sample has directions, which Genesys applies to calls only; remove genesysIntegration.exportPolicy.conditions.directions or set mediaTypes to ['call'].",
  );
  expect(fake.requests).toEqual([]);
});

test('a native delete after 0 days is refused before any call (T2)', async () => {
  await expect(create(properties({ DeleteRetentionDays: '0' }))).rejects.toThrow(
    "The export policy recording-archive-sample would delete Genesys's native copy after 0 days, before the export could be checked (T2); set genesys.platformRetentionDays to the platform window, or genesysIntegration.exportPolicy.deleteNativeCopy to false.",
  );
  expect(fake.requests).toEqual([]);
});

describe('faults', () => {
  const POLICIES = '/api/v2/recording/mediaretentionpolicies';

  test('401 from the login host names the secret, never its value', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: SECRET_NAME })
      .resolves({ SecretString: JSON.stringify({ clientId: fake.clientId, clientSecret: 'wrong-secret' }) });
    await expect(create()).rejects.toThrow(
      `Genesys answered POST /oauth/token with 401 invalid_client: client not found (check clientId and clientSecret in secret '${SECRET_NAME}', and that the OAuth client uses the Client Credentials grant)`,
    );
  });

  test('404 on Update of a policy deleted outside is answered by creating it again (see above); 404 on Delete is success', async () => {
    await expect(remove('never-existed')).resolves.toEqual({ PhysicalResourceId: 'never-existed' });
  });

  test("409 (name taken) on create with no policy of that name to adopt fails with Genesys's message", async () => {
    fake.inject({
      method: 'POST',
      path: POLICIES,
      response: {
        status: 409,
        body: { code: 'conflict', message: 'a policy named recording-archive-sample already exists' },
      },
    });
    await expect(create()).rejects.toThrow(
      `Genesys answered POST ${POLICIES} with 409 conflict: a policy named recording-archive-sample already exists`,
    );
  });

  test('429 with Retry-After is waited out and the policy is written once', async () => {
    fake.inject({
      method: 'POST',
      path: POLICIES,
      response: {
        status: 429,
        headers: { 'retry-after': '1' },
        body: { code: 'too.many.requests', message: 'slow down' },
      },
    });
    const started = Date.now();
    const answer = await create();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(fake.state.policies.size).toBe(1);
    expect(fake.state.policies.has(answer.PhysicalResourceId)).toBe(true);
  });

  test('5xx on a read is retried', async () => {
    fake.inject({
      method: 'GET',
      path: POLICIES,
      times: 2,
      response: { status: 502, body: { code: 'bad.gateway', message: 'upstream' } },
    });
    await create();
    expect(fake.state.policies.size).toBe(1);
    expect(fake.received('GET', POLICIES).length).toBe(3);
  });

  test('a malformed answer fails with the shape it expected', async () => {
    fake.inject({ method: 'POST', path: POLICIES, response: { status: 200, rawBody: '<html>oops' } });
    await expect(create()).rejects.toThrow(
      `Genesys answered POST ${POLICIES} with 200 malformed.response: the response body is not JSON`,
    );
  });

  test('an answer without an id fails rather than report a physical id of nothing', async () => {
    fake.inject({
      method: 'POST',
      path: POLICIES,
      response: { status: 200, body: { name: 'recording-archive-sample' } },
    });
    await expect(create()).rejects.toThrow(
      `Genesys answered POST ${POLICIES} with 200 malformed.response: the response does not match the expected shape at 'id': Invalid input: expected string, received undefined`,
    );
  });

  test('a timeout on a read is retried', async () => {
    fake.inject({ method: 'GET', path: POLICIES, delayMs: 10_500 });
    await create();
    expect(fake.state.policies.size).toBe(1);
  }, 30_000);

  test('an unreadable secret fails with the secret name and the fix', async () => {
    secrets.reset();
    secrets
      .on(GetSecretValueCommand)
      .rejects(Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' }));
    await expect(create()).rejects.toThrow(
      `The Genesys OAuth secret '${SECRET_NAME}' could not be read (ResourceNotFoundException); create it in this account and region as JSON {"clientId": "...", "clientSecret": "..."}.`,
    );
  });
});
