import { ConnectionDeps, onEvent } from '../../../lambda/genesys-connection/connection';
import { OnEventSchema } from '../../../lambda/genesys-connection/event';
import { GenesysClient } from '../../../lambda/shared/genesys/client';
import { captureOutput } from '../../support/capture-output';
import { FakeGenesys } from '../../support/fake-genesys';

const KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b';

let fake: FakeGenesys;
beforeAll(async () => {
  fake = await FakeGenesys.start();
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.reset();
  captureOutput();
});
afterEach(() => jest.restoreAllMocks());

/** Genesys without retries (the budget leaves no room for a second attempt), so one injected 5xx fails the call. */
const deps = (): ConnectionDeps => ({
  describeKey: async () => ({ arn: KEY_ARN, keyState: 'Enabled', rotationEnabled: true }),
  genesys: async (props) =>
    new GenesysClient({
      loginBaseUrl: props.LoginBaseUrl,
      apiBaseUrl: props.ApiBaseUrl,
      credentials: { clientId: fake.clientId, clientSecret: fake.clientSecret },
      retry: { budgetMs: 2000, attemptTimeoutMs: 5000 },
    }),
});

const properties = () => ({
  IntegrationName: 'recording-archive-sample',
  CredentialName: 'recording-archive-sample-role',
  RoleArn: 'arn:aws:iam::111111111111:role/RecordingArchive-sample-GenesysAccessRole',
  BucketName: 'recordingarchive-sample-bucket',
  BucketRegion: 'us-east-1',
  KmsKeyArn: KEY_ARN,
  Prefix: 'recordings/',
  Account: '111111111111',
  OAuthSecretName: 'recording-archive/sample/genesys-oauth',
  LoginBaseUrl: fake.baseUrl,
  ApiBaseUrl: fake.baseUrl,
  AllowPrefixMigration: 'false' as const,
});
const create = () => OnEventSchema.parse({ RequestType: 'Create', ResourceProperties: properties() });
const remove = (id: string) =>
  OnEventSchema.parse({ RequestType: 'Delete', PhysicalResourceId: id, ResourceProperties: properties() });

test('a Delete retried after the credential delete failed finds the credential by its name and deletes it', async () => {
  const { PhysicalResourceId: id, Data } = await onEvent(create(), deps());
  const credentialId = Data?.CredentialId;
  fake.inject({
    method: 'DELETE',
    path: '/api/v2/integrations/credentials/:id',
    response: { status: 500, body: { code: 'internal.server.error', message: 'boom' } },
  });
  await expect(onEvent(remove(id), deps())).rejects.toThrow(
    `Genesys answered DELETE /api/v2/integrations/credentials/${credentialId} with 500 internal.server.error: boom`,
  );
  expect(fake.state.integrations.size).toBe(0);
  expect([...fake.state.credentials.keys()]).toEqual([credentialId]);

  await expect(onEvent(remove(id), deps())).resolves.toEqual({ PhysicalResourceId: id });
  expect(fake.state.credentials.size).toBe(0);
  // Once everything is gone, another retry still succeeds.
  await expect(onEvent(remove(id), deps())).resolves.toEqual({ PhysicalResourceId: id });
});

test('Delete keeps a credential that another S3 bulk actions integration still references', async () => {
  const { PhysicalResourceId: id, Data } = await onEvent(create(), deps());
  const credentialId = Data?.CredentialId ?? '';
  const other = await (await deps().genesys(properties())).createIntegration('another-archive');
  fake.state.configs.set(other.id, {
    name: 'another-archive',
    version: 1,
    properties: {},
    advanced: {},
    credentials: { AmazonWebServicesARN: { id: credentialId } },
  });

  await expect(onEvent(remove(id), deps())).resolves.toEqual({ PhysicalResourceId: id });
  expect(fake.state.integrations.has(id)).toBe(false);
  expect([...fake.state.credentials.keys()]).toEqual([credentialId]);
  expect(fake.received('DELETE', '/api/v2/integrations/credentials/:id')).toEqual([]);
});
