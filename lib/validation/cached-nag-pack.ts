import { CfnResource, Validations } from 'aws-cdk-lib';
import type {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  PolicyViolation,
} from 'aws-cdk-lib';
import type { NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { createHash } from 'crypto';
import * as fs from 'fs';
import { synthCacheDir } from '../cache-dir';
import { packageVersion, readResult, writeResult } from './result-cache';

/** What a pack's answer can depend on besides the app: both libraries' versions. */
const ENGINE = JSON.stringify(
  ['aws-cdk-lib', 'cdk-nag'].map((pkg) => packageVersion(require.resolve(`${pkg}/package.json`))),
);

interface CachedResult {
  readonly violations: PolicyViolation[];
}

/**
 * A cdk-nag pack (`name` as the pack names itself) that remembers its findings between runs.
 *
 * A pack's rules read each `CfnResource`'s resolved properties, the other resources of its stack,
 * its construct path and the rules acknowledged on it and its ancestors. All of that is in the
 * key: every synthesized template's text, every construct's path and every acknowledgement, and
 * the versions of aws-cdk-lib and cdk-nag. An app whose key was seen gets the pack's own report
 * back without loading cdk-nag; any change to a template, a path or an acknowledgement runs the
 * pack for real. `RECORDING_ARCHIVE_CACHE=off` runs it every time.
 */
export class CachedNagPack implements IPolicyValidationPlugin {
  /** Times this instance ran the pack itself (the rest came from the cache). */
  public evaluations = 0;

  /**
   * @param packOptions what else decides the pack's report (its options as written, for one):
   *   part of the key, so changing how the pack is built runs it again.
   */
  constructor(
    public readonly name: string,
    private readonly createPack: () => NagPack,
    private readonly cacheDir: string | undefined = synthCacheDir('nag'),
    private readonly packOptions = '',
  ) {}

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const app = (context as IPolicyValidationContext & { appConstruct?: IConstruct }).appConstruct;
    const key = app === undefined ? undefined : this.keyOf(app, context);
    const hit = key === undefined ? undefined : readResult<CachedResult>(this.cacheDir, key);
    if (hit) return { success: hit.violations.length === 0, violations: hit.violations };
    const pack = this.createPack();
    if (pack.name !== this.name) throw new Error(`The nag pack named "${this.name}" calls itself "${pack.name}".`);
    const report = pack.validate(context);
    this.evaluations += 1;
    if (key !== undefined) writeResult(this.cacheDir, key, { violations: report.violations });
    return report;
  }

  private keyOf(app: IConstruct, context: IPolicyValidationContext): string {
    return createHash('sha256')
      .update(JSON.stringify([ENGINE, this.name, this.packOptions, appFingerprint(app, context)]))
      .digest('hex');
  }
}

const fingerprints = new WeakMap<IConstruct, string>();

/**
 * The hash of everything a pack reads from the app: every template's text with its stack's path,
 * account and region, and, in tree order, every construct's path, whether it is a `CfnResource`,
 * and the rules acknowledged on it (acknowledgements are not in the templates). Computed once per
 * app: the four packs validate the same synth.
 */
function appFingerprint(app: IConstruct, context: IPolicyValidationContext): string {
  const known = fingerprints.get(app);
  if (known !== undefined) return known;
  const hash = createHash('sha256');
  const stacks = [...context.stackTemplates].sort((a, b) => a.stackConstructPath.localeCompare(b.stackConstructPath));
  for (const stack of stacks) {
    hash.update(JSON.stringify([stack.stackConstructPath, stack.accountId ?? '', stack.region ?? '']));
    hash.update(fs.readFileSync(stack.templatePath));
  }
  const tree: unknown[] = [];
  for (const node of app.node.findAll()) {
    const acks = node.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .map((m) => m.data as unknown);
    tree.push(node.node.path, CfnResource.isCfnResource(node) ? 1 : 0, acks);
  }
  const fingerprint = hash.update(JSON.stringify(tree)).digest('hex');
  fingerprints.set(app, fingerprint);
  return fingerprint;
}
