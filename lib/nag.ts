import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks, NagPack } from 'cdk-nag';

/** The four rule packs every environment must pass. */
export function nagPacks(app: App): NagPack[] {
  return [
    new AwsSolutionsChecks(app),
    new HIPAASecurityChecks(app),
    new PCIDSS321Checks(app),
    new NIST80053R5Checks(app),
  ];
}

/** Registers the packs so `cdk synth` fails on any unacknowledged finding. */
export function applyNag(app: App): void {
  Validations.of(app).addPlugins(...nagPacks(app));
}
