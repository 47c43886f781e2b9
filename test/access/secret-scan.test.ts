import { ACCESS_ENVIRONMENTS, synthesizeEnvironment } from './environment-templates';
import { isRecord } from './resolve-template';
import { findSecrets } from './secret-scan';

const stacks = ACCESS_ENVIRONMENTS.flatMap((envName) =>
  synthesizeEnvironment(envName).stacks.map((stack) => ({ envName, stack })),
);

// AWS's documented example credentials, assembled so that this file itself holds no key-shaped literal.
const EXAMPLE_ACCESS_KEY = ['AKIA', 'IOSFODNN7EXAMPLE'].join('');
const PEM = ['-----BEGIN RSA PRIVATE', 'KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE', 'KEY-----'].join(' ');

describe.each(stacks.map(({ envName, stack }) => [`${envName}/${stack.stackName}`, stack.template] as const))(
  'synthesized template %s',
  (_name, template) => {
    test('holds no secret', () => {
      expect(findSecrets(template)).toEqual([]);
    });
  },
);

describe('the secret check', () => {
  const base = stacks[0].stack.template;

  function inject(change: (resources: Record<string, unknown>) => void): Record<string, unknown> {
    const copy = structuredClone(base);
    const resources = copy['Resources'];
    if (!isRecord(resources)) throw new Error('The template has no Resources section.');
    change(resources);
    return copy;
  }

  test('covers at least one stack per committed environment', () => {
    expect(new Set(stacks.map((s) => s.envName))).toEqual(new Set(ACCESS_ENVIRONMENTS));
  });

  test.each([
    [
      'a literal client secret in a function environment',
      'literal value of secret-named property GENESYS_CLIENT_SECRET',
      (r: Record<string, unknown>) => {
        r['InjectedFn'] = {
          Type: 'AWS::Lambda::Function',
          Properties: { Environment: { Variables: { GENESYS_CLIENT_SECRET: 'k3Y-9f8a7s6d5f4g' } } },
        };
      },
    ],
    [
      'an AWS access key id in a tag',
      'AWS access key id',
      (r: Record<string, unknown>) => {
        r['InjectedTopic'] = {
          Type: 'AWS::SNS::Topic',
          Properties: { Tags: [{ Key: 'owner', Value: EXAMPLE_ACCESS_KEY }] },
        };
      },
    ],
    [
      'a PEM private key in a custom resource property',
      'private key (PEM)',
      (r: Record<string, unknown>) => {
        r['InjectedCr'] = {
          Type: 'Custom::Connection',
          Properties: { ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:x', Certificate: PEM },
        };
      },
    ],
    [
      'a bearer token in a description',
      'bearer token',
      (r: Record<string, unknown>) => {
        r['InjectedRule'] = {
          Type: 'AWS::Events::Rule',
          Properties: { Description: 'calls the API with Bearer abcdefghijklmnopqrstuvwx0123' },
        };
      },
    ],
    [
      'a password inside a JSON payload string',
      'literal value of secret-named property password',
      (r: Record<string, unknown>) => {
        r['InjectedCr'] = {
          Type: 'Custom::AWS',
          Properties: { Create: JSON.stringify({ parameters: { username: 'genesys', password: 'hunter2hunter2' } }) },
        };
      },
    ],
    [
      'a literal clientSecret on a custom resource',
      'literal value of secret-named property clientSecret',
      (r: Record<string, unknown>) => {
        r['InjectedCr'] = {
          Type: 'Custom::GenesysConnection',
          Properties: { clientId: 'abc', clientSecret: 'not-a-reference' },
        };
      },
    ],
  ])('finds %s', (_what, rule, change) => {
    const findings = findSecrets(inject(change));
    expect(findings.map((f) => f.rule)).toContain(rule);
    expect(findings.every((f) => f.path.startsWith('Resources.Injected'))).toBe(true);
  });

  test('finds a secret-named template parameter with a literal default', () => {
    const copy = structuredClone(base);
    copy['Parameters'] = {
      ...(isRecord(copy['Parameters']) ? copy['Parameters'] : {}),
      GenesysPassword: { Type: 'String', Default: 'Winter2026!' },
    };
    expect(findSecrets(copy)).toEqual([
      { path: 'Parameters.GenesysPassword.Default', rule: 'literal value of secret-named property GenesysPassword' },
    ]);
  });

  test('accepts secrets referenced by ARN, name or dynamic reference', () => {
    const template = inject((r) => {
      r['InjectedFn'] = {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Environment: {
            Variables: {
              GENESYS_CLIENT_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:genesys-AbCdEf',
              GENESYS_OAUTH_SECRET_NAME: 'recording-archive/prod/genesys-oauth',
              CLIENT_SECRET:
                '{{resolve:secretsmanager:recording-archive/prod/genesys-oauth:SecretString:clientSecret}}',
              PASSWORD: { Ref: 'SomeSecret' },
            },
          },
        },
      };
    });
    expect(findSecrets(template)).toEqual([]);
  });
});
