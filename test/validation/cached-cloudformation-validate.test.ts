import { App, CfnResource, CloudFormationValidatePlugin, Stack } from 'aws-cdk-lib';
import type { IPolicyValidationContext } from 'aws-cdk-lib';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_CACHE_ROOT, synthCacheDir } from '../../lib/cache-dir';
import { CachedCloudFormationValidatePlugin } from '../../lib/validation/cached-cloudformation-validate';

// The cache must give back exactly what CDK's own validation finds, for a template it has seen,
// and validate every template it has not seen.
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-validate-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes the template of one stack (its topic with `properties`) and returns its validation context. */
function contextOf(name: string, topicProperties: Record<string, unknown>): IPolicyValidationContext {
  const app = new App({
    outdir: path.join(dir, `out-${name}-${Math.random().toString(36).slice(2)}`),
    builtinCloudFormationValidation: false,
  });
  const stack = new Stack(app, name, { env: { account: '111122223333', region: 'eu-west-1' } });
  new CfnResource(stack, 'Topic', { type: 'AWS::SNS::Topic', properties: topicProperties });
  new CfnResource(stack, 'Queue', { type: 'AWS::SQS::Queue', properties: { MessageRetentionPeriod: 'soon' } });
  const assembly = app.synth();
  const templatePath = path.join(assembly.directory, `${name}.template.json`);
  const stackTemplates = [{ stackConstructPath: name, templatePath, accountId: '111122223333', region: 'eu-west-1' }];
  return {
    templatePaths: [templatePath],
    stackTemplates,
    accountId: '111122223333',
    region: 'eu-west-1',
    appConstruct: app,
  };
}

const summary = (report: ReturnType<CloudFormationValidatePlugin['validate']>) =>
  report.violations
    .map(
      (v) =>
        `${v.severity} ${v.ruleName} ${v.description} @ ${v.violatingResources.map((r) => `${r.resourceLogicalId}`).join(',')}`,
    )
    .sort();

test('a seen template gets the engine’s own violations back without the engine; a changed one is validated', () => {
  const cacheDir = path.join(dir, 'cache');
  const bad = { TopicName: 'calls', NotATopicProperty: true };
  const reference = new CloudFormationValidatePlugin().validate(contextOf('Bad', bad));
  // The planted mistakes are found: a property the schema does not know and a number that is text.
  expect(summary(reference).join('\n')).toMatch(/NotATopicProperty/);
  expect(reference.success).toBe(false);

  const first = new CachedCloudFormationValidatePlugin(cacheDir);
  const miss = first.validate(contextOf('Bad', bad));
  expect(first.validatedTemplates).toBe(1);
  expect(summary(miss)).toEqual(summary(reference));
  expect(miss.success).toBe(false);

  // Same template text in another output folder: from the cache, paths pointing at the new file.
  const second = new CachedCloudFormationValidatePlugin(cacheDir);
  const context = contextOf('Bad', bad);
  const hit = second.validate(context);
  expect(second.validatedTemplates).toBe(0);
  expect(summary(hit)).toEqual(summary(reference));
  expect(hit.success).toBe(false);
  expect(hit.violations.flatMap((v) => v.violatingResources.map((r) => r.templatePath))).toEqual(
    expect.arrayContaining([context.stackTemplates[0].templatePath]),
  );
  expect(JSON.stringify(hit)).not.toContain('<template>');

  // One character changed: validated again, and the fix shows.
  const third = new CachedCloudFormationValidatePlugin(cacheDir);
  const fixed = third.validate(contextOf('Bad', { TopicName: 'calls' }));
  expect(third.validatedTemplates).toBe(1);
  expect(summary(fixed).join('\n')).not.toMatch(/NotATopicProperty/);
});

test('the cached plugin names the engine’s version as the engine itself does, without loading it', () => {
  const engine = new CloudFormationValidatePlugin();
  const cached = new CachedCloudFormationValidatePlugin(path.join(dir, 'versions'));
  expect(engine.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(cached.version).toBe(engine.version);
  expect(cached.ruleIds).toEqual(engine.ruleIds);
});

test('the synth caches live under node_modules/.cache unless RECORDING_ARCHIVE_CACHE says where, or off', () => {
  expect(synthCacheDir('bundles', {})).toBe(path.join(DEFAULT_CACHE_ROOT, 'bundles'));
  expect(DEFAULT_CACHE_ROOT).toBe(path.resolve(__dirname, '..', '..', 'node_modules', '.cache', 'recording-archive'));
  expect(synthCacheDir('cfn-validate', { RECORDING_ARCHIVE_CACHE: '/var/cache/ra' })).toBe(
    '/var/cache/ra/cfn-validate',
  );
  expect(synthCacheDir('bundles', { RECORDING_ARCHIVE_CACHE: 'off' })).toBeUndefined();
});
