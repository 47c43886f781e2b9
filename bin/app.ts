#!/usr/bin/env node
// First: the modules below compile from Node's compile cache when it has them.
import '../lib/compile-cache';
import { App, Validations } from 'aws-cdk-lib';
import { ConfigError, ConfigErrors, formatConfigErrors, loadConfig } from '../lib/config';
import { createStacks } from '../lib/create-stacks';
import { applyNag } from '../lib/nag';
import { CachedCloudFormationValidatePlugin } from '../lib/validation/cached-cloudformation-validate';

const app = new App();
// CDK's CloudFormation validation, with each unchanged template's result remembered between runs
// (CDK_VALIDATION=false turns it off, as it does CDK's default instance).
if (process.env.CDK_VALIDATION !== 'false') Validations.of(app).addPlugins(new CachedCloudFormationValidatePlugin());
const envName = String(app.node.tryGetContext('env') ?? 'sample');
try {
  createStacks(app, loadConfig(envName));
} catch (e) {
  // A refused configuration is the user's to fix: print every problem, not a stack trace.
  if (e instanceof ConfigErrors || e instanceof ConfigError) {
    process.stderr.write(`${formatConfigErrors(e.envName, e instanceof ConfigErrors ? e.errors : [e])}\n`);
    process.exit(1);
  }
  if (e instanceof Error && e.message.startsWith('Environment "')) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
  throw e;
}
applyNag(app);
