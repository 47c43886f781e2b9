#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { loadConfig } from '../lib/config';
import { createStacks } from '../lib/create-stacks';
import { applyNag } from '../lib/nag';

const app = new App();
const envName = String(app.node.tryGetContext('env') ?? 'sample');
createStacks(app, loadConfig(envName));
applyNag(app);
