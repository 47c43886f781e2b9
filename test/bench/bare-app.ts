import { App, Stack, Validations } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { CachedCloudFormationValidatePlugin } from '../../lib/validation/cached-cloudformation-validate';

// The synth benchmark's baseline: one stack with one resource, synthesized by the same toolchain
// (cdk CLI, tsx, cdk.json's context) as the real app.
const app = new App();
// BENCH_BARE_CACHED=1: the bare app with the same validation cache as bin/app.ts (a fairer floor).
if (process.env.BENCH_BARE_CACHED === '1') Validations.of(app).addPlugins(new CachedCloudFormationValidatePlugin());
new sns.Topic(new Stack(app, 'Bare'), 'Topic');
app.synth();
