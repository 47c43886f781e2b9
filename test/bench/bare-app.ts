import { App, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';

// The synth benchmark's baseline: one stack with one resource, synthesized by the same toolchain
// (cdk CLI, tsx, cdk.json's context) as the real app.
const app = new App();
new sns.Topic(new Stack(app, 'Bare'), 'Topic');
app.synth();
