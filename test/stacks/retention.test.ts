import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildEnvironment, ENVIRONMENT_NAMES } from '../support/app';

/** Resource types that hold data or evidence: a stack update or delete must never delete them. */
const STATEFUL_TYPES = [
  'AWS::S3::Bucket',
  'AWS::KMS::Key',
  'AWS::SQS::Queue',
  'AWS::Kinesis::Stream',
  'AWS::Logs::LogGroup',
];

describe.each(ENVIRONMENT_NAMES)('stateful resources of environment %s', (envName) => {
  const { stacks } = buildEnvironment(envName);
  const all = Object.values(stacks).filter((s): s is Stack => s instanceof Stack);

  test.each(all.map((s) => [s.stackName, s] as const))(
    '%s retains every stateful resource on delete and on replacement',
    (_name, stack) => {
      const resources = Template.fromStack(stack).toJSON().Resources as Record<string, Record<string, unknown>>;
      const stateful = Object.entries(resources).filter(([, r]) => STATEFUL_TYPES.includes(r.Type as string));
      const notRetained = stateful
        .filter(([, r]) => r.DeletionPolicy !== 'Retain' || r.UpdateReplacePolicy !== 'Retain')
        .map(
          ([id, r]) =>
            `${id} (${String(r.Type)}: DeletionPolicy ${String(r.DeletionPolicy)}, UpdateReplacePolicy ${String(r.UpdateReplacePolicy)})`,
        );
      expect(notRetained).toEqual([]);
    },
  );
});
