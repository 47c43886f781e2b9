#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { ConfigError, loadConfig } from '../lib/config';
import { createStacks } from '../lib/create-stacks';
import { applyNag } from '../lib/nag';

const app = new App();
const envName = String(app.node.tryGetContext('env') ?? 'sample');
try {
  createStacks(app, loadConfig(envName));
} catch (e) {
  // A refused configuration is the user's to fix: print the one sentence, not a stack trace.
  if (e instanceof ConfigError || (e instanceof Error && e.message.startsWith('Environment "'))) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
  throw e;
}
applyNag(app);
