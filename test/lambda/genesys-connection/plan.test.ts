import {
  checkKeyFacts,
  checkKeyReference,
  checkPrefixChange,
  configFromSchemas,
  isActive,
  isUndeclaredPrefixChange,
  roleCredentialKey,
} from '../../../lambda/genesys-connection/plan';

const values = {
  bucketName: 'archive-bucket',
  bucketRegion: 'us-east-1',
  kmsKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b',
  prefix: 'recordings/',
};
const schema = (properties: string[], required: string[] = []) => ({
  properties: Object.fromEntries(properties.map((p) => [p, { type: 'string' }])),
  required,
});
const noAdvanced = schema([]);

describe('configFromSchemas', () => {
  test('writes every field the schema has, by the schema name', () => {
    expect(
      configFromSchemas(schema(['bucketName', 'region', 'kmsKeyArn', 'prefix'], ['bucketName']), noAdvanced, values),
    ).toEqual({
      properties: {
        bucketName: 'archive-bucket',
        region: 'us-east-1',
        kmsKeyArn: values.kmsKeyArn,
        prefix: 'recordings/',
      },
      advanced: {},
    });
  });

  test('skips optional fields the schema lacks', () => {
    expect(configFromSchemas(schema(['bucketName', 'prefix']), noAdvanced, values).properties).toEqual({
      bucketName: 'archive-bucket',
      prefix: 'recordings/',
    });
  });

  test('refuses a schema without a mandatory field and lists the schema fields', () => {
    expect(() => configFromSchemas(schema(['s3Bucket', 'prefix']), noAdvanced, values)).toThrow(
      "The properties schema of aws-s3-recording-bulk-actions-integration has no field 'bucketName' for the bucketName (its fields: s3Bucket, prefix); set S3_PROPERTY_FIELDS.bucketName in lambda/shared/genesys/wire.ts to the schema's name.",
    );
  });

  test('refuses a required property the app does not fill', () => {
    expect(() =>
      configFromSchemas(
        schema(['bucketName', 'prefix', 'roleSessionName'], ['bucketName', 'roleSessionName']),
        noAdvanced,
        values,
      ),
    ).toThrow(
      "The properties schema of aws-s3-recording-bulk-actions-integration requires 'roleSessionName', which this app does not fill; map it in lambda/shared/genesys/wire.ts before deploying.",
    );
  });

  test('refuses a required advanced field', () => {
    expect(() =>
      configFromSchemas(schema(['bucketName', 'prefix']), schema(['exportFormat'], ['exportFormat']), values),
    ).toThrow(
      "The advanced schema of aws-s3-recording-bulk-actions-integration requires 'exportFormat', which this app does not fill; map it in lambda/shared/genesys/wire.ts before deploying.",
    );
  });
});

describe('roleCredentialKey', () => {
  test('is the key whose spec accepts the role-ARN credential type', () => {
    expect(
      roleCredentialKey({
        id: 't',
        credentials: {
          other: { credentialTypes: ['basicAuth'] },
          awsRole: { credentialTypes: ['amazonWebServicesARN'] },
        },
      }),
    ).toBe('awsRole');
  });

  test('refuses a type that takes no role-ARN credential', () => {
    expect(() => roleCredentialKey({ id: 't', credentials: { key: { credentialTypes: ['awsAccessKey'] } } })).toThrow(
      "The integration type t accepts no 'amazonWebServicesARN' credential (it accepts: awsAccessKey); set ROLE_ARN_CREDENTIAL in lambda/shared/genesys/wire.ts to the type's credential.",
    );
  });
});

describe('E3 prefix change', () => {
  test('is refused without a declared migration', () => {
    expect(() => checkPrefixChange('recordings/', 'archive/', false)).toThrow(
      "The recordings prefix cannot change from 'recordings/' to 'archive/' after recordings exist (E3); keep recordingsPrefix 'recordings/', or set genesysIntegration.allowPrefixMigration to true for a planned migration.",
    );
  });

  test('is allowed with a declared migration, and an unchanged prefix always is', () => {
    expect(() => checkPrefixChange('recordings/', 'archive/', true)).not.toThrow();
    expect(() => checkPrefixChange('recordings/', 'recordings/', false)).not.toThrow();
  });

  test('is not refused when Genesys already holds the new prefix (the rollback of a refused update)', () => {
    expect(() => checkPrefixChange('archive/', 'recordings/', false, 'recordings/')).not.toThrow();
    expect(() => checkPrefixChange('recordings/', 'archive/', false, 'recordings/')).toThrow(
      "The recordings prefix cannot change from 'recordings/' to 'archive/' after recordings exist (E3); keep recordingsPrefix 'recordings/', or set genesysIntegration.allowPrefixMigration to true for a planned migration.",
    );
    expect(isUndeclaredPrefixChange(undefined, 'recordings/', false)).toBe(false);
  });
});

describe('E2 key checks', () => {
  const facts = { arn: values.kmsKeyArn, keyState: 'Enabled', rotationEnabled: true };

  test('accept an enabled, rotating key of this account and region', () => {
    expect(() => checkKeyReference(values.kmsKeyArn)).not.toThrow();
    expect(() => checkKeyFacts(facts, '111111111111', 'us-east-1')).not.toThrow();
  });

  test('refuse an alias, by name or by alias ARN', () => {
    expect(() => checkKeyReference('alias/recording-archive/sample')).toThrow(
      "The KMS key 'alias/recording-archive/sample' is an alias, which is resolved once and breaks when the alias is retargeted (E2); give the full key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID).",
    );
    expect(() => checkKeyReference('arn:aws:kms:us-east-1:111111111111:alias/recording-archive/sample')).toThrow(
      /is an alias/,
    );
  });

  test('refuse something that is not a key ARN', () => {
    expect(() => checkKeyReference('1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b')).toThrow(
      "'1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b' is not a KMS key ARN (E2); give the full key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID).",
    );
  });

  test('refuse a key of another account or region', () => {
    expect(() => checkKeyFacts(facts, '222222222222', 'us-east-1')).toThrow(
      `The KMS key ${values.kmsKeyArn} is in account 111111111111 and region us-east-1, not in the archive's account 222222222222 and region us-east-1 (E2); give the archive key's ARN.`,
    );
    expect(() => checkKeyFacts(facts, '111111111111', 'eu-west-1')).toThrow(
      /not in the archive's account 111111111111 and region eu-west-1/,
    );
  });

  test('refuse a disabled key and a key without rotation', () => {
    expect(() => checkKeyFacts({ ...facts, keyState: 'Disabled' }, '111111111111', 'us-east-1')).toThrow(
      `The KMS key ${values.kmsKeyArn} is Disabled, so Genesys could not encrypt exports with it (E2); enable the key before deploying.`,
    );
    expect(() => checkKeyFacts({ ...facts, rotationEnabled: false }, '111111111111', 'us-east-1')).toThrow(
      `The KMS key ${values.kmsKeyArn} has automatic rotation off (E2); turn key rotation on before deploying.`,
    );
  });
});

describe('isActive', () => {
  test('is true for ACTIVE, false while activating, and throws Genesys own error for ERROR', () => {
    expect(isActive({ id: 'i', reportedState: { code: 'ACTIVE' } })).toBe(true);
    expect(isActive({ id: 'i', reportedState: { code: 'ACTIVATING' } })).toBe(false);
    expect(isActive({ id: 'i' })).toBe(false);
    expect(() =>
      isActive({
        id: 'i',
        reportedState: { code: 'ERROR', detail: { message: 'Access denied to bucket archive-bucket.' } },
      }),
    ).toThrow('Genesys reports integration i in ERROR: Access denied to bucket archive-bucket.');
  });
});
