import type { ConfigSchema, Integration, IntegrationType } from '../shared/genesys/client';
import {
  MANDATORY_S3_PROPERTIES,
  REPORTED_STATE,
  ROLE_ARN_CREDENTIAL,
  S3_BULK_ACTIONS_TYPE_ID,
  S3_PROPERTY_FIELDS,
  S3PropertyName,
} from '../shared/genesys/wire';

/** A refusal: the deploy fails with this one sentence. */
export class ConnectionRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionRefused';
  }
}

/** The values the app writes into the integration's properties. */
export type S3PropertyValues = Readonly<Record<S3PropertyName, string>>;

/**
 * Maps the app's values onto the type's properties schema: every mandatory field must exist in
 * the schema, optional ones are written when the schema has them, and every field the schema
 * (properties or advanced) requires must be one the app fills.
 */
export function configFromSchemas(
  properties: ConfigSchema,
  advanced: ConfigSchema,
  values: S3PropertyValues,
): { readonly properties: Record<string, string>; readonly advanced: Record<string, never> } {
  const known = Object.keys(properties.properties);
  const listed = known.length ? known.join(', ') : 'none';
  const written: Record<string, string> = {};
  for (const name of Object.keys(S3_PROPERTY_FIELDS) as S3PropertyName[]) {
    const field = S3_PROPERTY_FIELDS[name];
    if (known.includes(field)) written[field] = values[name];
    else if (MANDATORY_S3_PROPERTIES.includes(name)) {
      throw new ConnectionRefused(
        `The properties schema of ${S3_BULK_ACTIONS_TYPE_ID} has no field '${field}' for the ${name} (its fields: ${listed}); set S3_PROPERTY_FIELDS.${name} in lambda/shared/genesys/wire.ts to the schema's name.`,
      );
    }
  }
  for (const [kind, schema, filled] of [
    ['properties', properties, written],
    ['advanced', advanced, {}],
  ] as const) {
    const unfilled = schema.required.filter((field) => !(field in filled));
    if (unfilled.length) {
      throw new ConnectionRefused(
        `The ${kind} schema of ${S3_BULK_ACTIONS_TYPE_ID} requires ${unfilled.map((f) => `'${f}'`).join(', ')}, which this app does not fill; map it in lambda/shared/genesys/wire.ts before deploying.`,
      );
    }
  }
  return { properties: written, advanced: {} };
}

/** The key under which the integration's config references a role-ARN credential (read from the type). */
export function roleCredentialKey(type: IntegrationType): string {
  const entries = Object.entries(type.credentials);
  const match = entries.find(([, spec]) => spec.credentialTypes.includes(ROLE_ARN_CREDENTIAL.type));
  if (!match) {
    const accepted = entries.flatMap(([, spec]) => spec.credentialTypes);
    throw new ConnectionRefused(
      `The integration type ${type.id} accepts no '${ROLE_ARN_CREDENTIAL.type}' credential (it accepts: ${accepted.length ? accepted.join(', ') : 'none'}); set ROLE_ARN_CREDENTIAL in lambda/shared/genesys/wire.ts to the type's credential.`,
    );
  }
  return match[0];
}

/** Whether an Update changes the prefix without a declared migration, so E3 must look at Genesys. */
export function isUndeclaredPrefixChange(
  oldPrefix: string | undefined,
  newPrefix: string,
  allowPrefixMigration: boolean,
): boolean {
  return oldPrefix !== undefined && oldPrefix !== newPrefix && !allowPrefixMigration;
}

/**
 * E3: a registered connection keeps its prefix unless the environment declares a migration.
 * `livePrefix` is the prefix Genesys's configuration holds now: when it already is the new prefix,
 * the update changes nothing in Genesys (CloudFormation rolling back an update this check refused
 * sends the original properties as the new ones), so there is nothing to refuse.
 */
export function checkPrefixChange(
  oldPrefix: string | undefined,
  newPrefix: string,
  allowPrefixMigration: boolean,
  livePrefix?: string,
): void {
  if (isUndeclaredPrefixChange(oldPrefix, newPrefix, allowPrefixMigration) && livePrefix !== newPrefix) {
    throw new ConnectionRefused(
      `The recordings prefix cannot change from '${oldPrefix}' to '${newPrefix}' after recordings exist (E3); keep recordingsPrefix '${oldPrefix}', or set genesysIntegration.allowPrefixMigration to true for a planned migration.`,
    );
  }
}

/** What KMS says about the archive key. */
export interface KeyFacts {
  /** The key's own ARN from DescribeKey. */
  readonly arn: string;
  readonly keyState: string;
  readonly rotationEnabled: boolean;
}

const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/[A-Za-z0-9-]+$/;

/** E2, before KMS is asked: the key must be given as a key ARN, never an alias. */
export function checkKeyReference(keyArn: string): void {
  if (/(^alias\/)|(:alias\/)/.test(keyArn)) {
    throw new ConnectionRefused(
      `The KMS key '${keyArn}' is an alias, which is resolved once and breaks when the alias is retargeted (E2); give the full key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID).`,
    );
  }
  if (!KEY_ARN.test(keyArn)) {
    throw new ConnectionRefused(
      `'${keyArn}' is not a KMS key ARN (E2); give the full key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID).`,
    );
  }
}

/** E2, with KMS's answer: enabled, in this account and region, rotation on. */
export function checkKeyFacts(facts: KeyFacts, account: string, region: string): void {
  const [, keyRegion, keyAccount] = KEY_ARN.exec(facts.arn) ?? [];
  if (keyAccount !== account || keyRegion !== region) {
    throw new ConnectionRefused(
      `The KMS key ${facts.arn} is in account ${keyAccount} and region ${keyRegion}, not in the archive's account ${account} and region ${region} (E2); give the archive key's ARN.`,
    );
  }
  if (facts.keyState !== 'Enabled') {
    throw new ConnectionRefused(
      `The KMS key ${facts.arn} is ${facts.keyState}, so Genesys could not encrypt exports with it (E2); enable the key before deploying.`,
    );
  }
  if (!facts.rotationEnabled) {
    throw new ConnectionRefused(
      `The KMS key ${facts.arn} has automatic rotation off (E2); turn key rotation on before deploying.`,
    );
  }
}

/** isComplete: true once Genesys reports the integration active; Genesys's own error fails the deploy. */
export function isActive(integration: Integration): boolean {
  const state = integration.reportedState;
  if (state?.code === REPORTED_STATE.error) {
    throw new ConnectionRefused(
      `Genesys reports integration ${integration.id} in ERROR: ${state.detail?.message ?? state.effective ?? 'no detail given'}`,
    );
  }
  return state?.code === REPORTED_STATE.active;
}
