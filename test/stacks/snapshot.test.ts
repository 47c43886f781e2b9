import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildEnvironment } from '../support/app';

// One snapshot per stack of the sample environment; asset hashes are rewritten by the
// serializer in test/support/asset-hash-serializer.ts. Fine-grained tests come first: a
// snapshot only shows that something changed.
const { stacks } = buildEnvironment('sample');
const all = Object.values(stacks).filter((s): s is Stack => s instanceof Stack);

test.each(all.map((s) => [s.stackName, s] as const))('%s matches its snapshot', (_name, stack) => {
  expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
});
