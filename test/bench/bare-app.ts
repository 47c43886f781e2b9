/* eslint-disable @typescript-eslint/no-require-imports -- requires, so that the cache comes first when asked for */
// The synth benchmark's baseline: one stack with one resource, synthesized by the same toolchain
// (cdk CLI, tsx, cdk.json's context) as the real app.
// BENCH_BARE_CACHED=1: the bare app with the same caches as bin/app.ts (Node's compile cache and
// the validation cache), a fairer floor.
const cached = process.env.BENCH_BARE_CACHED === '1';
if (cached) require('../../lib/compile-cache');
const { App, Stack, Validations } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
const sns = require('aws-cdk-lib/aws-sns') as typeof import('aws-cdk-lib/aws-sns');
const { CachedCloudFormationValidatePlugin } =
  require('../../lib/validation/cached-cloudformation-validate') as typeof import('../../lib/validation/cached-cloudformation-validate');

const app = new App();
if (cached) Validations.of(app).addPlugins(new CachedCloudFormationValidatePlugin());
new sns.Topic(new Stack(app, 'Bare'), 'Topic');
app.synth();
export {};
