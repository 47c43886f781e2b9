import { buildEnvironment, ENVIRONMENT_NAMES } from '../support/app';
import { applyNag } from '../../lib/nag';
import { nagFindings } from '../support/nag';

describe.each(ENVIRONMENT_NAMES)('cdk-nag packs on environment %s', (envName) => {
  test('AwsSolutions, HIPAA Security, PCI DSS 3.2.1 and NIST 800-53 R5 report no unacknowledged finding', () => {
    const { app } = buildEnvironment(envName);
    expect(nagFindings(app)).toEqual([]);
  });
});

test('the packs do report a finding when a rule is broken (the check can fail)', () => {
  const { app, stacks } = buildEnvironment('sample');
  const bucket = stacks.archive.accessLogBucket.node.defaultChild as import('aws-cdk-lib/aws-s3').CfnBucket;
  bucket.versioningConfiguration = undefined;
  const rules = nagFindings(app).map((f) => f.rule);
  expect(rules).toEqual(expect.arrayContaining([expect.stringContaining('S3BucketVersioningEnabled')]));
});

test('applyNag (what bin/app.ts calls) makes synthesis fail on an unacknowledged finding', () => {
  const { app, stacks } = buildEnvironment('sample');
  (stacks.archive.accessLogBucket.node.defaultChild as import('aws-cdk-lib/aws-s3').CfnBucket).versioningConfiguration =
    undefined;
  applyNag(app);
  expect(() => app.synth()).toThrow(/S3BucketVersioningEnabled/);
});
