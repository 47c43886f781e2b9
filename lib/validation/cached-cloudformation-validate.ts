import { CloudFormationValidatePlugin } from 'aws-cdk-lib';
import type { IPolicyValidationContext, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { synthCacheDir } from '../cache-dir';
import { packageVersion, readResult, writeResult } from './result-cache';

type StackTemplate = IPolicyValidationContext['stackTemplates'][number];

/** Stands for a template's path in a cached violation: the next synth writes to another folder. */
const TEMPLATE = '<template>';
/** Stands for a stack's construct path in a cached violation that names no resource. */
const STACK = '<stack>';

interface CachedResult {
  readonly violations: PolicyViolation[];
}

const AWS_CDK_LIB_PACKAGE = require.resolve('aws-cdk-lib/package.json');
const AWS_CDK_LIB_VERSION = packageVersion(AWS_CDK_LIB_PACKAGE);

/**
 * The validation engine's version, read from the package aws-cdk-lib loads it from. Asking the
 * engine itself (`super.version`) instantiates its WASM module, a quarter of a synth whose
 * templates are all cached; the test checks both answers are the same.
 */
const ENGINE_VERSION = packageVersion(
  path.join(
    path.dirname(require.resolve('@aws/cloudformation-validate', { paths: [path.dirname(AWS_CDK_LIB_PACKAGE)] })),
    'package.json',
  ),
);

/**
 * CDK's built-in CloudFormation validation (the `@aws-cdk/core:validateAgainstDefaultRules`
 * engine: resource schemas and the default rules), remembering each template's result.
 *
 * The engine's answer depends only on the template's text, the account and region it is
 * validated for, and the engine's version, so a template that is byte for byte one already
 * validated gets the same violations back without starting the engine (about half of a
 * `cdk synth`'s CPU time). Every changed template is validated for real, all in one engine run.
 * Registering it replaces CDK's default instance (it is a `CloudFormationValidatePlugin`), so
 * nothing is validated twice and nothing goes unvalidated.
 */
export class CachedCloudFormationValidatePlugin extends CloudFormationValidatePlugin {
  /** Templates validated for real by this instance (the rest came from the cache). */
  public validatedTemplates = 0;

  /** @param cacheDir where results are kept; `undefined`: validate every template, keep nothing. */
  constructor(private readonly cacheDir: string | undefined = synthCacheDir('cfn-validate')) {
    super();
  }

  /** The engine's version, without loading the engine (CDK asks for it for every synth's metadata). */
  public override get version(): string {
    return ENGINE_VERSION;
  }

  /** As CDK's plugin reports them: the engine's version. */
  public override get ruleIds(): string[] {
    return [ENGINE_VERSION];
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const stacks = context.stackTemplates.map((stack) => ({ stack, key: this.keyOf(stack) }));
    const cached = new Map(
      stacks.map(({ stack, key }) => [stack.templatePath, readResult<CachedResult>(this.cacheDir, key)]),
    );
    const misses = stacks.filter(({ stack }) => cached.get(stack.templatePath) === undefined);
    const violations: PolicyViolation[] = [];
    if (misses.length > 0) {
      const fresh = super.validate({
        ...context,
        templatePaths: misses.map(({ stack }) => stack.templatePath),
        stackTemplates: misses.map(({ stack }) => stack),
      });
      this.validatedTemplates += misses.length;
      for (const { stack, key } of misses)
        writeResult(this.cacheDir, key, { violations: violationsOf(fresh.violations, stack) });
      violations.push(...fresh.violations);
    }
    for (const { stack } of stacks) {
      const hit = cached.get(stack.templatePath);
      if (hit) violations.push(...hit.violations.map((v) => restore(v, stack)));
    }
    const merged = mergeViolations(violations);
    return {
      success: merged.every((v) => v.severity !== 'error' && v.severity !== 'fatal'),
      violations: merged,
      pluginVersion: this.version,
    };
  }

  private keyOf(stack: StackTemplate): string {
    return createHash('sha256')
      .update(JSON.stringify([AWS_CDK_LIB_VERSION, ENGINE_VERSION, stack.accountId ?? '', stack.region ?? '']))
      .update(fs.readFileSync(stack.templatePath))
      .digest('hex');
  }
}

/** The violations of one template, with its path and stack path replaced by placeholders. */
function violationsOf(violations: readonly PolicyViolation[], stack: StackTemplate): PolicyViolation[] {
  const own: PolicyViolation[] = [];
  for (const v of violations) {
    const resources = v.violatingResources
      .filter((r) => r.templatePath === stack.templatePath)
      .map((r) => ({
        ...r,
        templatePath: TEMPLATE,
        ...(r.constructPath === stack.stackConstructPath ? { constructPath: STACK } : {}),
      }));
    if (resources.length > 0) own.push({ ...v, violatingResources: resources });
  }
  return own;
}

function restore(v: PolicyViolation, stack: StackTemplate): PolicyViolation {
  return {
    ...v,
    violatingResources: v.violatingResources.map((r) => ({
      ...r,
      templatePath: stack.templatePath,
      ...(r.constructPath === STACK ? { constructPath: stack.stackConstructPath } : {}),
    })),
  };
}

/** One violation per rule, severity and description, as the engine's own report groups them. */
function mergeViolations(violations: readonly PolicyViolation[]): PolicyViolation[] {
  const merged = new Map<string, PolicyViolation>();
  for (const v of violations) {
    const id = JSON.stringify([v.ruleName, v.severity, v.description]);
    const existing = merged.get(id);
    merged.set(
      id,
      existing ? { ...existing, violatingResources: [...existing.violatingResources, ...v.violatingResources] } : v,
    );
  }
  return [...merged.values()];
}
