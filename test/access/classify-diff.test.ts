import {
  exitCode,
  renderStackReview,
  renderSummary,
  reviewStack,
  Template,
} from '../../scripts/pr-review/classify-diff';
import { synthesizeEnvironment } from './environment-templates';
import { isRecord } from './resolve-template';

const archive = synthesizeEnvironment('sample').stacks.find((s) => s.stackName.endsWith('-Archive'))!;

/** A copy of the synthesized archive template with one change applied. */
function changed(change: (resources: Record<string, Record<string, unknown>>) => void): Template {
  const copy = structuredClone(archive.template);
  change(copy['Resources'] as Record<string, Record<string, unknown>>);
  return copy;
}

function logicalIdOf(type: string, idPrefix: string): string {
  const resources = archive.template['Resources'];
  const id = Object.keys(isRecord(resources) ? resources : {}).find(
    (k) => k.startsWith(idPrefix) && isRecord(resources) && isRecord(resources[k]) && resources[k]['Type'] === type,
  );
  if (!id) throw new Error(`The archive template has no ${type} whose logical ID starts with ${idPrefix}.`);
  return id;
}

function properties(resource: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!resource || !isRecord(resource['Properties'])) throw new Error('The resource has no Properties.');
  return resource['Properties'];
}

const review = (base: Template | undefined, head: Template | undefined) =>
  reviewStack({ stackName: archive.stackName, base, head });

test('an unchanged template blocks nothing', () => {
  const result = review(archive.template, structuredClone(archive.template));
  expect(result.blocking).toEqual([]);
  expect(exitCode([result], false)).toBe(0);
  expect(renderStackReview(result)).toContain('There were no differences');
});

test('adding s3:DeleteObject to the Genesys role policy is a broadened permission', () => {
  const policyId = logicalIdOf('AWS::IAM::ManagedPolicy', 'GenesysAccessExportPolicy');
  const head = changed((resources) => {
    const document = properties(resources[policyId])['PolicyDocument'] as { Statement: Record<string, unknown>[] };
    const write = document.Statement.find((s) => s['Sid'] === 'WriteRecordings')!;
    write['Action'] = ['s3:PutObject', 's3:DeleteObject'];
  });
  const result = review(archive.template, head);
  expect(result.blocking).toEqual([
    { stackName: archive.stackName, reason: 'IAM statements or security-group rules broaden permissions' },
  ]);
  expect(renderStackReview(result)).toMatch(/IAM Statement Changes[\s\S]*s3:DeleteObject/);
  expect(exitCode([result], false)).toBe(1);
  expect(exitCode([result], true)).toBe(0);
  expect(renderSummary([result], false)).toContain('Blocking: a reviewer must accept these changes');
});

test('removing a statement narrows permissions and blocks nothing', () => {
  const policyId = logicalIdOf('AWS::IAM::ManagedPolicy', 'GenesysAccessExportPolicy');
  const head = changed((resources) => {
    const document = properties(resources[policyId])['PolicyDocument'] as { Statement: Record<string, unknown>[] };
    document.Statement = document.Statement.filter((s) => s['Sid'] !== 'ReadBucketLocation');
  });
  expect(review(archive.template, head).blocking).toEqual([]);
});

test('renaming the recording bucket replaces it, which blocks', () => {
  const bucketId = logicalIdOf('AWS::S3::Bucket', 'RecordingBucketRecordings');
  const head = changed((resources) => {
    properties(resources[bucketId])['BucketName'] = 'renamed-recordings-bucket';
  });
  const result = review(archive.template, head);
  expect(result.blocking).toContainEqual({
    stackName: archive.stackName,
    logicalId: bucketId,
    reason: `stateful AWS::S3::Bucket ${bucketId} would be replaced`,
  });
  expect(renderStackReview(result)).toContain('BucketName (requires replacement)');
});

test('removing the archive key blocks', () => {
  const keyId = logicalIdOf('AWS::KMS::Key', 'ArchiveKey');
  const head = changed((resources) => {
    delete resources[keyId];
  });
  expect(review(archive.template, head).blocking.map((b) => b.reason)).toContain(
    `stateful AWS::KMS::Key ${keyId} would be removed from the stack (orphaned: kept in the account, no longer managed)`,
  );
});

test('removing any retained resource blocks, removing a plain one does not', () => {
  const logs = { Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: {} };
  const topic = { Type: 'AWS::SNS::Topic', Properties: {} };
  const base: Template = { Resources: { Logs: logs, Topic: topic } };
  expect(review(base, { Resources: { Logs: logs } }).blocking).toEqual([]);
  expect(review(base, { Resources: { Topic: topic } }).blocking.map((b) => b.reason)).toEqual([
    'stateful AWS::Logs::LogGroup Logs would be removed from the stack (orphaned: kept in the account, no longer managed)',
  ]);
});

test('deleting a bucket without a retain policy blocks', () => {
  const bucket = { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Delete', Properties: {} };
  expect(review({ Resources: { Scratch: bucket } }, { Resources: {} }).blocking.map((b) => b.reason)).toEqual([
    'stateful AWS::S3::Bucket Scratch would be deleted',
  ]);
});

test('a whole stack removed takes its buckets and keys with it, which blocks', () => {
  const result = review(archive.template, undefined);
  expect(result.blocking.map((b) => b.reason)).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^stateful AWS::KMS::Key ArchiveKey\w+ would be removed from the stack/),
    ]),
  );
});
