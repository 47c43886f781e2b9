import { App, CfnResource, Stack, TagManager } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { resolveConfig } from '../../lib/config';
import { buildEnvironment, configWith, ENVIRONMENT_NAMES } from '../support/app';

/** Every taggable L1 resource of a stack with the tags its synthesized template carries. */
function taggedResources(stack: Stack): { path: string; type: string; tags: Record<string, string> }[] {
  // Tags are applied by an aspect during synthesis: read the synthesized template.
  const assembly = (stack.node.root as App).synth();
  const template = assembly.getStackByName(stack.stackName).template as {
    Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  };
  const found: { path: string; type: string; tags: Record<string, string> }[] = [];
  const visit = (c: IConstruct) => {
    if (CfnResource.isCfnResource(c) && Stack.of(c) === stack) {
      const manager = TagManager.isTaggable(c) ? c.tags : TagManager.isTaggableV2(c) ? c.cdkTagManager : undefined;
      if (manager) {
        const resource = template.Resources[stack.resolve(c.logicalId) as string];
        // The manager names the L1 property (`tags`); the template spells it `Tags`.
        const property = manager.tagPropertyName.charAt(0).toUpperCase() + manager.tagPropertyName.slice(1);
        const raw = resource?.Properties?.[property];
        const tags: Record<string, string> = Array.isArray(raw)
          ? Object.fromEntries((raw as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]))
          : ((raw as Record<string, string> | undefined) ?? {});
        found.push({ path: c.node.path, type: c.cfnResourceType, tags });
      }
    }
    c.node.children.forEach(visit);
  };
  visit(stack);
  return found;
}

function allStacks(envName: string, config = undefined as ReturnType<typeof resolveConfig> | undefined): Stack[] {
  const { stacks } = buildEnvironment(envName, {}, config);
  return [stacks.archive, stacks.genesys, stacks.connect].filter((s): s is NonNullable<typeof s> => s !== undefined);
}

describe('cost allocation tags', () => {
  test.each(ENVIRONMENT_NAMES)(
    'every taggable resource of every %s stack carries application and environment',
    (envName) => {
      const resources = allStacks(envName).flatMap(taggedResources);
      // The stateful and billed resources are among them (not an empty walk).
      const types = new Set(resources.map((r) => r.type));
      for (const type of [
        'AWS::S3::Bucket',
        'AWS::KMS::Key',
        'AWS::Lambda::Function',
        'AWS::SQS::Queue',
        'AWS::Logs::LogGroup',
        'AWS::IAM::Role',
        'AWS::SNS::Topic',
      ]) {
        expect(types).toContain(type);
      }
      const untagged = resources.filter(
        (r) => r.tags.application !== 'recording-archive' || r.tags.environment !== envName,
      );
      expect(untagged.map((r) => `${r.path} (${r.type})`)).toEqual([]);
    },
  );

  test('sample has no costCenter or client tag; prod tags costCenter from its config', () => {
    const sample = allStacks('sample').flatMap(taggedResources);
    expect(sample.filter((r) => 'costCenter' in r.tags || 'client' in r.tags)).toEqual([]);
    const prod = allStacks('prod').flatMap(taggedResources);
    expect(prod.filter((r) => r.tags.costCenter !== 'CC-4711-contact-center')).toEqual([]);
    expect(prod.filter((r) => 'client' in r.tags)).toEqual([]);
  });

  test('a client tag from config reaches the bucket, the key and the tagging function', () => {
    const config = configWith('sample', (c) => ({
      ...c,
      costAllocation: { costCenter: 'CC 12', client: 'Acme Insurance' },
    }));
    const resources = allStacks('sample', config).flatMap(taggedResources);
    expect(resources.filter((r) => r.tags.client !== 'Acme Insurance' || r.tags.costCenter !== 'CC 12')).toEqual([]);
    expect(resources.filter((r) => r.type === 'AWS::S3::Bucket').length).toBeGreaterThanOrEqual(2);
  });

  test('a tag value AWS would refuse fails with the field and the fix', () => {
    expect(() => configWith('sample', (c) => ({ ...c, costAllocation: { costCenter: 'CC#12' } }))).toThrow(
      'Environment "sample", field "costAllocation.costCenter": \'CC#12\' must be 1-256 letters, digits, spaces or _ . : / = + - @ (the characters AWS accepts in a tag value); fix it in lib/config/environments/sample.ts.',
    );
  });
});
