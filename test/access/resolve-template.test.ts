import { resolveStacks, StackTemplate, UNRESOLVED } from './resolve-template';

const archive: StackTemplate = {
  stackName: 'App-dev-Archive',
  account: '123456789012',
  region: 'eu-west-1',
  template: {
    Conditions: { IsEu: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] } },
    Resources: {
      Bucket: { Type: 'AWS::S3::Bucket', Properties: {} },
      Key: { Type: 'AWS::KMS::Key', Properties: {} },
      Role: { Type: 'AWS::IAM::Role', Properties: {} },
      Policy: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          Roles: [{ Ref: 'Role' }],
          PolicyDocument: {
            Statement: [
              { Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, '/recordings/*']] } },
              { Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}/x/${!Literal}' } },
              { Resource: { 'Fn::GetAtt': ['Key', 'Arn'] }, Sid: { 'Fn::If': ['IsEu', 'Eu', 'NotEu'] } },
              { Resource: '*', Condition: { 'Fn::If': ['IsEu', { Ref: 'AWS::NoValue' }, { Bool: {} }] } },
            ],
          },
        },
      },
    },
    Outputs: {
      BucketArn: { Value: { 'Fn::GetAtt': ['Bucket', 'Arn'] }, Export: { Name: 'dev-bucket-arn' } },
      RoleArn: { Value: { 'Fn::GetAtt': ['Role', 'Arn'] } },
    },
  },
};

const consumer: StackTemplate = {
  stackName: 'App-dev-Genesys',
  account: '123456789012',
  region: 'eu-west-1',
  template: {
    Resources: {
      Grant: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          Imported: { 'Fn::ImportValue': 'dev-bucket-arn' },
          Weak: { 'Fn::GetStackOutput': { StackName: 'App-dev-Archive', Region: 'eu-west-1', OutputName: 'RoleArn' } },
          Missing: { 'Fn::ImportValue': 'nowhere' },
        },
      },
    },
  },
};

const resolved = new Map(resolveStacks([archive, consumer]).map((r) => [r.logicalId, r]));

test('gives resources deterministic fake physical names and ARNs from the stack environment', () => {
  expect(resolved.get('Bucket')?.arn).toBe('arn:aws:s3:::bucket');
  expect(resolved.get('Role')?.arn).toBe('arn:aws:iam::123456789012:role/App-dev-Archive-Role');
  expect(resolved.get('Key')?.arn).toMatch(
    /^arn:aws:kms:eu-west-1:123456789012:key\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/,
  );
  expect(resolveStacks([archive]).find((r) => r.logicalId === 'Key')?.arn).toBe(resolved.get('Key')?.arn);
});

test('resolves Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::If and AWS::NoValue', () => {
  expect(resolved.get('Policy')?.properties).toEqual({
    Roles: ['App-dev-Archive-Role'],
    PolicyDocument: {
      Statement: [
        { Resource: 'arn:aws:s3:::bucket/recordings/*' },
        { Resource: 'arn:aws:s3:::bucket/x/${Literal}' },
        { Resource: resolved.get('Key')?.arn, Sid: 'Eu' },
        { Resource: '*' },
      ],
    },
  });
});

test('resolves Fn::ImportValue and Fn::GetStackOutput across stacks and marks what it cannot resolve', () => {
  const grant = resolved.get('Grant')?.properties;
  expect(grant?.['Imported']).toBe('arn:aws:s3:::bucket');
  expect(grant?.['Weak']).toBe('arn:aws:iam::123456789012:role/App-dev-Archive-Role');
  expect(String(grant?.['Missing'])).toContain(UNRESOLVED);
});
