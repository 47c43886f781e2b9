import { App } from 'aws-cdk-lib';
import { nagPacks } from '../../lib/nag';

/** One unacknowledged finding: pack, rule and the resources it names. */
export interface NagFinding {
  readonly pack: string;
  readonly rule: string;
  readonly resources: string[];
}

/** Runs the four packs of bin/app.ts over the app and returns every unacknowledged finding. */
export function nagFindings(app: App): NagFinding[] {
  return nagPacks().flatMap((pack) =>
    pack.validateScope(app).violations.map((v) => ({
      pack: pack.name,
      rule: v.ruleName,
      resources: v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId ?? '(unknown)'),
    })),
  );
}
