import {
  formatDifferences,
  fullDiff,
  ResourceImpact,
  type Resource,
  type TemplateDiff,
} from '@aws-cdk/cloudformation-diff';
import { Writable } from 'stream';

/** A CloudFormation template as JSON. */
export type Template = Record<string, unknown>;

/** One stack on both sides of a pull request; a missing side means the stack is added or removed. */
export interface StackPair {
  readonly stackName: string;
  readonly base?: Template;
  readonly head?: Template;
}

/** A change that needs `--allow`. */
export interface BlockingChange {
  readonly stackName: string;
  /** Logical ID of the resource, absent for stack-wide findings. */
  readonly logicalId?: string;
  readonly reason: string;
}

/** The diff of one stack and what in it blocks the pull request. */
export interface StackReview {
  readonly stackName: string;
  readonly diff: TemplateDiff;
  readonly blocking: readonly BlockingChange[];
}

/** Resource types that hold data and must never be replaced or removed by an update. */
export const STATEFUL_TYPES: ReadonlySet<string> = new Set(['AWS::KMS::Key', 'AWS::S3::Bucket']);

const RETAIN = new Set(['Retain', 'RetainExceptOnCreate']);

/** Impacts that lose (or may lose) the physical resource or detach it from the stack. */
const DESTRUCTIVE: ReadonlyMap<ResourceImpact, string> = new Map([
  [ResourceImpact.WILL_REPLACE, 'would be replaced'],
  [ResourceImpact.MAY_REPLACE, 'may be replaced'],
  [ResourceImpact.WILL_DESTROY, 'would be deleted'],
  [ResourceImpact.WILL_ORPHAN, 'would be removed from the stack (orphaned: kept in the account, no longer managed)'],
]);

function isStateful(resource: Resource | undefined): resource is Resource {
  if (resource === undefined) return false;
  return (
    STATEFUL_TYPES.has(resource.Type) ||
    RETAIN.has(String(resource['DeletionPolicy'])) ||
    RETAIN.has(String(resource['UpdateReplacePolicy']))
  );
}

/** The template without `AWS::CDK::Metadata` resources, whose compressed payload changes with every construct (as `cdk diff` does). */
function withoutCdkMetadata(template: Template | undefined): Template {
  if (template === undefined) return {};
  const resources = template['Resources'];
  if (typeof resources !== 'object' || resources === null) return template;
  const kept = Object.entries(resources).filter(
    ([, r]: [string, unknown]) =>
      !(typeof r === 'object' && r !== null && 'Type' in r && r.Type === 'AWS::CDK::Metadata'),
  );
  return { ...template, Resources: Object.fromEntries(kept) };
}

/**
 * Diffs one stack offline and classifies the result: a stateful resource (a KMS key, a bucket,
 * anything retained on delete) replaced or removed blocks, and so does any broadening of IAM
 * statements or security-group rules (cloudformation-diff's `permissionsBroadened`).
 */
export function reviewStack(pair: StackPair): StackReview {
  const diff = fullDiff(withoutCdkMetadata(pair.base), withoutCdkMetadata(pair.head));
  const blocking: BlockingChange[] = [];
  diff.resources.forEachDifference((logicalId, change) => {
    if (!isStateful(change.oldValue)) return;
    const type = change.oldValue.Type;
    const what = DESTRUCTIVE.get(change.changeImpact) ?? (change.resourceTypeChanged ? 'would change type' : undefined);
    if (what) blocking.push({ stackName: pair.stackName, logicalId, reason: `stateful ${type} ${logicalId} ${what}` });
  });
  if (diff.permissionsBroadened) {
    blocking.push({ stackName: pair.stackName, reason: 'IAM statements or security-group rules broaden permissions' });
  }
  return { stackName: pair.stackName, diff, blocking };
}

function captureStream(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  // The escape character is the point: this strips terminal colour codes.
  // eslint-disable-next-line no-control-regex
  return { stream, text: () => chunks.join('').replace(/\u001b\[[0-9;]*m/g, '') };
}

/** One stack's resource changes and IAM/security-group change tables as plain text (no colors). */
export function renderStackReview(review: StackReview): string {
  if (review.diff.isEmpty) return `Stack ${review.stackName}\nThere were no differences\n`;
  const { stream, text } = captureStream();
  stream.write(`Stack ${review.stackName}\n`);
  // Prints the IAM and security-group tables first, then the resource changes.
  formatDifferences(stream, review.diff);
  return text();
}

/** The closing summary: every blocking change, and what the exit code will be. */
export function renderSummary(reviews: readonly StackReview[], allow: boolean): string {
  const blocking = reviews.flatMap((r) => r.blocking);
  if (blocking.length === 0) return 'Review: no stateful resource replaced or removed, no permission broadened.\n';
  const lines = blocking.map((b) => `- ${b.stackName}: ${b.reason}`);
  const verdict = allow
    ? 'Allowed with --allow: a reviewer has accepted these changes.'
    : 'Blocking: a reviewer must accept these changes (rerun with --allow, or label the pull request pr-review:allow).';
  return [`Review: ${blocking.length} change(s) need a reviewer:`, ...lines, verdict, ''].join('\n');
}

/** Exit code of `npm run diff`: 1 when something blocks and `--allow` was not given. */
export function exitCode(reviews: readonly StackReview[], allow: boolean): number {
  return !allow && reviews.some((r) => r.blocking.length > 0) ? 1 : 0;
}
