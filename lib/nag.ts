import { App, Validations } from 'aws-cdk-lib';
import type { NagPack } from 'cdk-nag';
import { CachedNagPack } from './validation/cached-nag-pack';

type CdkNag = typeof import('cdk-nag');

/** cdk-nag, loaded when a pack is first needed (a synth whose findings are cached never needs it). */
const cdkNag = (): CdkNag => require('cdk-nag') as CdkNag; // eslint-disable-line @typescript-eslint/no-require-imports

/** The four rule packs every environment must pass, by the names they report under. */
const PACKS: ReadonlyArray<readonly [name: string, create: (nag: CdkNag) => NagPack]> = [
  ['AwsSolutions', (nag) => new nag.AwsSolutionsChecks()],
  ['HIPAA.Security', (nag) => new nag.HIPAASecurityChecks()],
  ['PCI.DSS.321', (nag) => new nag.PCIDSS321Checks()],
  ['NIST.800.53.R5', (nag) => new nag.NIST80053R5Checks()],
];

/** The four packs themselves (tests and the evidence pack run them directly). */
export function nagPacks(): NagPack[] {
  const nag = cdkNag();
  return PACKS.map(([, create]) => create(nag));
}

/** The four packs as synth runs them: each remembers its findings for an unchanged app (`cacheDir`: default `nag/`). */
export function cachedNagPacks(cacheDir?: string): CachedNagPack[] {
  // How each pack is built (its options, as written here) is part of its key.
  return PACKS.map(([name, create]) => new CachedNagPack(name, () => create(cdkNag()), cacheDir, create.toString()));
}

/** Registers the packs so `cdk synth` fails on any unacknowledged finding. */
export function applyNag(app: App): void {
  Validations.of(app).addPlugins(...cachedNagPacks());
}
