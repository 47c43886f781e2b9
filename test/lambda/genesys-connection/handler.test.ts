import { DescribeKeyCommand, GetKeyRotationStatusCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as isComplete } from '../../../lambda/genesys-connection/is-complete';
import { handler as onEvent } from '../../../lambda/genesys-connection/on-event';
import { captureOutput } from '../../support/capture-output';
import { FakeGenesys } from '../../support/fake-genesys';

const kms = mockClient(KMSClient);
const secrets = mockClient(SecretsManagerClient);

const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b';
const ROLE_ARN = 'arn:aws:iam::111111111111:role/RecordingArchive-sample-GenesysAccessRole';
const SECRET_NAME = 'recording-archive/sample/genesys-oauth';

let fake: FakeGenesys;
let output: string[];
beforeAll(async () => {
  fake = await FakeGenesys.start('genesys-client-id', 'S3cr3t-never-printed-9f8e');
});
afterAll(() => fake.stop());

beforeEach(() => {
  fake.reset();
  kms.reset();
  secrets.reset();
  kms
    .on(DescribeKeyCommand)
    .resolves({ KeyMetadata: { KeyId: 'k', Arn: KEY_ARN, KeyState: 'Enabled', Enabled: true } });
  kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true });
  secrets
    .on(GetSecretValueCommand, { SecretId: SECRET_NAME })
    .resolves({ SecretString: JSON.stringify({ clientId: fake.clientId, clientSecret: fake.clientSecret }) });
  output = captureOutput();
});

afterEach(() => {
  jest.restoreAllMocks();
  // Whatever a test did, nothing it printed holds the client secret, in clear or in the Basic header.
  const printed = output.join('');
  expect(printed).not.toContain(fake.clientSecret);
  expect(printed).not.toContain(Buffer.from(`${fake.clientId}:${fake.clientSecret}`).toString('base64'));
});

function properties(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:provider',
    IntegrationName: 'recording-archive-sample',
    CredentialName: 'recording-archive-sample-role',
    RoleArn: ROLE_ARN,
    BucketName: 'recordingarchive-sample-bucket',
    BucketRegion: 'us-east-1',
    KmsKeyArn: KEY_ARN,
    Prefix: 'recordings/',
    Account: '111111111111',
    OAuthSecretName: SECRET_NAME,
    LoginBaseUrl: fake.baseUrl,
    ApiBaseUrl: fake.baseUrl,
    AllowPrefixMigration: 'false',
    ...overrides,
  };
}

const base = {
  StackId: 'arn:aws:cloudformation:us-east-1:111111111111:stack/s/1',
  RequestId: 'r',
  LogicalResourceId: 'Connection',
  ResourceType: 'Custom::GenesysConnection',
};
const create = (props = properties()) => ({ ...base, RequestType: 'Create', ResourceProperties: props });
const update = (id: string, props: Record<string, string>, old = properties()) => ({
  ...base,
  RequestType: 'Update',
  PhysicalResourceId: id,
  ResourceProperties: props,
  OldResourceProperties: old,
});
const remove = (id: string) => ({
  ...base,
  RequestType: 'Delete',
  PhysicalResourceId: id,
  ResourceProperties: properties(),
});

/** What the provider framework does: onEvent, then isComplete until it answers true. */
async function deploy(
  event: Record<string, unknown>,
): Promise<{ id: string; polls: number; data?: Record<string, string> }> {
  const answer = await onEvent(event);
  for (let polls = 1; polls <= 10; polls++) {
    if ((await isComplete({ ...event, ...answer })).IsComplete)
      return { id: answer.PhysicalResourceId, polls, data: answer.Data };
  }
  throw new Error('isComplete never answered true');
}

const writes = () => fake.requests.filter((r) => r.method !== 'GET' && r.path !== '/oauth/token');

test('Create checks the schema, writes credential, integration, config and ENABLED, then waits for ACTIVE', async () => {
  fake.state.pollsBeforeActive = 2;
  const { id, polls, data } = await deploy(create());

  expect(polls).toBe(3);
  expect([...fake.state.integrations.keys()]).toEqual([id]);
  const integration = fake.state.integrations.get(id)!;
  expect(integration).toMatchObject({
    name: 'recording-archive-sample',
    intendedState: 'ENABLED',
    reportedState: { code: 'ACTIVE' },
  });
  const [credential] = [...fake.state.credentials.values()];
  expect(credential).toMatchObject({
    name: 'recording-archive-sample-role',
    type: { name: 'amazonWebServicesARN' },
    credentialFields: { ARN: ROLE_ARN },
  });
  expect(fake.state.configs.get(id)).toMatchObject({
    name: 'recording-archive-sample',
    properties: {
      bucketName: 'recordingarchive-sample-bucket',
      region: 'us-east-1',
      kmsKeyArn: KEY_ARN,
      prefix: 'recordings/',
    },
    credentials: { AmazonWebServicesARN: { id: credential.id } },
  });
  expect(data).toEqual({ IntegrationId: id, CredentialId: credential.id });

  // Both schemas and the type are read before the first write.
  const firstWrite = fake.requests.indexOf(writes()[0]);
  const reads = fake.requests.slice(0, firstWrite).map((r) => r.path);
  expect(reads).toEqual(
    expect.arrayContaining([
      '/api/v2/integrations/types/aws-s3-recording-bulk-actions-integration',
      '/api/v2/integrations/types/aws-s3-recording-bulk-actions-integration/configschemas/properties',
      '/api/v2/integrations/types/aws-s3-recording-bulk-actions-integration/configschemas/advanced',
    ]),
  );
  expect(writes().map((r) => `${r.method} ${r.path.replace(id, ':id')}`)).toEqual([
    'POST /api/v2/integrations/credentials',
    'POST /api/v2/integrations',
    'PUT /api/v2/integrations/:id/config/current',
    'PATCH /api/v2/integrations/:id',
  ]);
  expect(output.join('')).toContain('Genesys connection event');
});

test('a retried Create reuses the credential and integration the first attempt made', async () => {
  const first = await deploy(create());
  const second = await deploy(create());
  expect(second.id).toBe(first.id);
  expect(fake.state.integrations.size).toBe(1);
  expect(fake.state.credentials.size).toBe(1);
});

test('a Create interrupted after the credential was written converges on retry', async () => {
  fake.inject({
    method: 'POST',
    path: '/api/v2/integrations',
    response: { status: 400, body: { code: 'bad.request', message: 'try again' } },
  });
  await expect(onEvent(create())).rejects.toThrow(
    'Genesys answered POST /api/v2/integrations with 400 bad.request: try again',
  );
  expect(fake.state.credentials.size).toBe(1);
  await deploy(create());
  expect(fake.state.credentials.size).toBe(1);
  expect(fake.state.integrations.size).toBe(1);
});

test('a credential POST that lands but answers 500 is not repeated; the next Create reuses the credential', async () => {
  fake.inject({
    method: 'POST',
    path: '/api/v2/integrations/credentials',
    afterRoute: true,
    response: { status: 500, body: { code: 'internal.server.error', message: 'oops' } },
  });
  await expect(onEvent(create())).rejects.toThrow(
    'Genesys answered POST /api/v2/integrations/credentials with 500 internal.server.error: oops',
  );
  expect(fake.received('POST', '/api/v2/integrations/credentials')).toHaveLength(1);
  expect(fake.state.credentials.size).toBe(1);
  await deploy(create());
  expect(fake.state.credentials.size).toBe(1);
  expect(fake.received('POST', '/api/v2/integrations/credentials')).toHaveLength(1);
});

test('Update changes the integration in place and rewrites the credential', async () => {
  const { id } = await deploy(create());
  const changed = properties({ BucketName: 'another-bucket', RoleArn: `${ROLE_ARN}-2` });
  const updated = await deploy(update(id, changed));
  expect(updated.id).toBe(id);
  expect(fake.state.configs.get(id)).toMatchObject({ version: 3, properties: { bucketName: 'another-bucket' } });
  expect([...fake.state.credentials.values()].map((c) => c.credentialFields.ARN)).toEqual([`${ROLE_ARN}-2`]);
});

const E3_REFUSAL =
  "The recordings prefix cannot change from 'recordings/' to 'archive/' after recordings exist (E3); keep recordingsPrefix 'recordings/', or set genesysIntegration.allowPrefixMigration to true for a planned migration.";

test('Update refuses a changed prefix (E3) before any write; it only reads the live configuration', async () => {
  const { id } = await deploy(create());
  fake.requests.length = 0;
  await expect(onEvent(update(id, properties({ Prefix: 'archive/' })))).rejects.toThrow(E3_REFUSAL);
  expect(writes()).toEqual([]);
  expect(fake.received('GET').map((r) => r.path)).toEqual([`/api/v2/integrations/${id}/config/current`]);
});

test('CloudFormation can roll back a refused E3 update: the rollback Update (original properties as new) succeeds', async () => {
  const { id } = await deploy(create());
  const refused = properties({ Prefix: 'archive/' });
  await expect(onEvent(update(id, refused))).rejects.toThrow(E3_REFUSAL);
  // The rollback: ResourceProperties are the original properties, OldResourceProperties the refused ones.
  const rolledBack = await deploy(update(id, properties(), refused));
  expect(rolledBack.id).toBe(id);
  expect(fake.state.configs.get(id)?.properties.prefix).toBe('recordings/');
  // The forward change is still refused afterwards.
  await expect(onEvent(update(id, refused))).rejects.toThrow(E3_REFUSAL);
});

test('CloudFormation can roll back a declared migration, whose flag is only in the old properties', async () => {
  const { id } = await deploy(create());
  const migrating = properties({ Prefix: 'archive/', AllowPrefixMigration: 'true' });
  await deploy(update(id, migrating));
  expect(fake.state.configs.get(id)?.properties.prefix).toBe('archive/');
  await deploy(update(id, properties(), migrating));
  expect(fake.state.configs.get(id)?.properties.prefix).toBe('recordings/');
});

test('Update accepts a changed prefix when the environment declares a migration', async () => {
  const { id } = await deploy(create());
  await deploy(update(id, properties({ Prefix: 'archive/', AllowPrefixMigration: 'true' })));
  expect(fake.state.configs.get(id)?.properties.prefix).toBe('archive/');
});

test('Update of an integration deleted outside CloudFormation registers a new one (new physical id)', async () => {
  const { id } = await deploy(create());
  fake.state.integrations.delete(id);
  fake.state.configs.delete(id);
  const { id: newId } = await deploy(update(id, properties()));
  expect(newId).not.toBe(id);
  await expect(onEvent(remove(id))).resolves.toEqual({ PhysicalResourceId: id });
  expect(fake.state.integrations.has(newId)).toBe(true);
  expect(fake.state.credentials.size).toBe(1);
});

test('Delete disables, then deletes the integration and its credential; a retried Delete succeeds', async () => {
  const { id } = await deploy(create());
  await expect(onEvent(remove(id))).resolves.toEqual({ PhysicalResourceId: id });
  expect(fake.state.integrations.size).toBe(0);
  expect(fake.state.credentials.size).toBe(0);
  expect(fake.received('PATCH', '/api/v2/integrations/:id').map((r) => r.body)).toEqual([
    { intendedState: 'ENABLED' },
    { intendedState: 'DISABLED' },
  ]);
  await expect(onEvent(remove(id))).resolves.toEqual({ PhysicalResourceId: id });
  await expect(isComplete({ ...remove(id) })).resolves.toEqual({ IsComplete: true });
});

test('E2: an alias is refused before KMS or Genesys is called', async () => {
  await expect(
    onEvent(create(properties({ KmsKeyArn: 'arn:aws:kms:us-east-1:111111111111:alias/recording-archive/sample' }))),
  ).rejects.toThrow(
    "The KMS key 'arn:aws:kms:us-east-1:111111111111:alias/recording-archive/sample' is an alias, which is resolved once and breaks when the alias is retargeted (E2); give the full key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID).",
  );
  expect(kms.calls()).toHaveLength(0);
  expect(fake.requests).toEqual([]);
});

test('E2: a key without rotation, disabled, or of another account is refused before any Genesys call', async () => {
  kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
  await expect(onEvent(create())).rejects.toThrow(
    `The KMS key ${KEY_ARN} has automatic rotation off (E2); turn key rotation on before deploying.`,
  );
  kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true });
  kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', Arn: KEY_ARN, KeyState: 'PendingDeletion' } });
  await expect(onEvent(create())).rejects.toThrow(
    `The KMS key ${KEY_ARN} is PendingDeletion, so Genesys could not encrypt exports with it (E2); enable the key before deploying.`,
  );
  await expect(onEvent(create(properties({ Account: '999999999999' })))).rejects.toThrow(
    /not in the archive's account 999999999999/,
  );
  expect(fake.requests).toEqual([]);
});

test('a wrong client secret fails with a clear message that names the secret, not its value', async () => {
  secrets
    .on(GetSecretValueCommand)
    .resolves({ SecretString: JSON.stringify({ clientId: fake.clientId, clientSecret: 'not-the-secret-123' }) });
  const error = await onEvent(create()).catch((e: unknown) => e as Error);
  expect((error as Error).message).toBe(
    "Genesys answered POST /oauth/token with 401 invalid_client: client not found (check clientId and clientSecret in secret 'recording-archive/sample/genesys-oauth', and that the OAuth client uses the Client Credentials grant)",
  );
  expect(output.join('')).not.toContain('not-the-secret-123');
  expect(writes()).toEqual([]);
});

test('a secret that is not the expected JSON, or is missing, fails without echoing its value', async () => {
  secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"client_id":"x","secret":"plain-secret-xyz"}' });
  await expect(onEvent(create())).rejects.toThrow(
    `The Genesys OAuth secret '${SECRET_NAME}' is not JSON of the form {"clientId": "...", "clientSecret": "..."}; fix its value in Secrets Manager.`,
  );
  secrets.on(GetSecretValueCommand).resolves({ SecretString: 'plain-secret-xyz' });
  await expect(onEvent(create())).rejects.toThrow(/is not JSON of the form/);
  secrets.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'not found', $metadata: {} }));
  await expect(onEvent(create())).rejects.toThrow(
    `The Genesys OAuth secret '${SECRET_NAME}' could not be read (ResourceNotFoundException); create it in this account and region as JSON {"clientId": "...", "clientSecret": "..."}.`,
  );
  expect(output.join('')).not.toContain('plain-secret-xyz');
});

test('a schema that does not match the wire names fails before any write', async () => {
  const type = fake.state.types.get('aws-s3-recording-bulk-actions-integration')!;
  type.schemas.properties = {
    type: 'object',
    properties: { s3BucketName: { type: 'string' }, prefix: { type: 'string' } },
    required: ['s3BucketName'],
  };
  await expect(onEvent(create())).rejects.toThrow(
    "The properties schema of aws-s3-recording-bulk-actions-integration has no field 'bucketName' for the bucketName (its fields: s3BucketName, prefix); set S3_PROPERTY_FIELDS.bucketName in lambda/shared/genesys/wire.ts to the schema's name.",
  );
  expect(writes()).toEqual([]);
});

test('isComplete fails the deploy with Genesys own error when the integration lands in ERROR', async () => {
  fake.state.activationError =
    'Unable to assume role arn:aws:iam::111111111111:role/x with the configured external id.';
  const answer = await onEvent(create());
  await expect(isComplete({ ...create(), ...answer })).resolves.toEqual({ IsComplete: false });
  await expect(isComplete({ ...create(), ...answer })).rejects.toThrow(
    `Genesys reports integration ${answer.PhysicalResourceId} in ERROR: Unable to assume role arn:aws:iam::111111111111:role/x with the configured external id.`,
  );
});

test('a 409 on the config write is answered by re-reading the version; 429 and 500 are retried', async () => {
  fake.inject({
    method: 'GET',
    path: '/api/v2/integrations/credentials',
    response: {
      status: 429,
      headers: { 'retry-after': '0' },
      body: { code: 'too.many.requests', message: 'slow down' },
    },
  });
  fake.inject({
    method: 'PUT',
    path: '/api/v2/integrations/:id/config/current',
    response: { status: 409, body: { code: 'conflict', message: 'version conflict' } },
  });
  fake.inject({
    method: 'PATCH',
    path: '/api/v2/integrations/:id',
    response: { status: 500, body: { code: 'internal.server.error', message: 'oops' } },
  });
  const { id } = await deploy(create());
  expect(fake.state.integrations.get(id)?.reportedState.code).toBe('ACTIVE');
  expect(fake.received('PUT', '/api/v2/integrations/:id/config/current')).toHaveLength(2);
});

test('a malformed event fails at the edge', async () => {
  await expect(
    onEvent({ RequestType: 'Create', ResourceProperties: { ...properties(), KmsKeyArn: undefined } }),
  ).rejects.toThrow(
    "The event is malformed at 'ResourceProperties.KmsKeyArn': Invalid input: expected string, received undefined.",
  );
});
