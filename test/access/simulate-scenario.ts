import {
  anonymousPrincipal,
  getDenialReasons,
  getGrantReasons,
  runSimulation,
  type RequestAnalysis,
  type Simulation,
} from '@cloud-copilot/iam-simulate';
import { ArchiveConfig } from '../../lib/config';
import { CONNECT_ARCHIVE_PREFIX } from '../../lib/config/connect-schema';
import { AccessModel, PolicyDocument } from './access-model';
import { isRecord } from './resolve-template';
import { AccessScenario, Decision, NO_ALLOW, PRINCIPALS, ResourceName } from './scenarios';

/** The concrete values one environment gives the scenario placeholders. */
export type ScenarioFacts = Readonly<Record<string, string>>;

/** What the simulator answered for one scenario in one environment. */
export interface ScenarioOutcome {
  readonly decision: Decision;
  /** Labels of the deciding statements (Sid, or a description of an unnamed statement), or `no Allow`. */
  readonly decidedBy: readonly string[];
}

/** A scenario whose answer differs from its expectation. */
export interface ScenarioMismatch {
  readonly scenario: AccessScenario;
  readonly outcome: ScenarioOutcome;
}

const OTHER_ACCOUNT = '999999999999';

function ipv4ToNumber(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function numberToIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** First and last address of an IPv4 CIDR block, as numbers. */
function ipv4Range(cidr: string): [number, number] {
  const [ip, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const first = Math.floor(ipv4ToNumber(ip) / size) * size;
  return [first, first + size - 1];
}

/**
 * The placeholder values of one environment: hosts inside and outside its committed Genesys
 * CIDRs, its organization id, the archive key, a foreign key, the S3 service name, the prefix.
 */
export function scenarioFacts(config: ArchiveConfig, model: AccessModel): ScenarioFacts {
  const ranges = config.genesys.allowedCidrs.cidrs.filter((c) => c.includes('.')).map(ipv4Range);
  if (ranges.length === 0) {
    throw new Error(
      `Environment ${config.envName} commits no IPv4 Genesys CIDR, so the scenarios have no inside address.`,
    );
  }
  const inside = (n: number) => ranges.some(([first, last]) => n >= first && n <= last);
  const nextToCidr = ranges.map(([, last]) => last + 1).find((n) => n < 2 ** 32 && !inside(n));
  const outside = ['8.8.8.8', '1.1.1.1', '9.9.9.9'].map(ipv4ToNumber).find((n) => !inside(n));
  if (nextToCidr === undefined || outside === undefined) {
    throw new Error(`Environment ${config.envName} commits CIDRs that leave no outside address to test with.`);
  }
  const [firstRange, lastRange] = [ranges[0], ranges[ranges.length - 1]];
  const breakGlassRoleName = config.breakGlassRoleNames[0];
  if (breakGlassRoleName === undefined) {
    throw new Error(
      `Environment ${config.envName} names no break-glass role, so the break-glass scenarios cannot run; add one to breakGlassRoleNames.`,
    );
  }
  return {
    insideIp: numberToIpv4(firstRange[0] + 1),
    lastInsideIp: numberToIpv4(lastRange[1] - 1),
    outsideIp: numberToIpv4(outside),
    nextToCidrIp: numberToIpv4(nextToCidr),
    externalId: config.genesys.organizationId,
    archiveKeyArn: model.archiveKeyArn,
    otherKeyArn: `arn:aws:kms:${model.region}:${model.account}:key/00000000-0000-4000-8000-0000000000ff`,
    s3ViaService: `s3.${model.region}.amazonaws.com`,
    otherRegionS3ViaService: `s3.${model.region === 'eu-west-1' ? 'us-west-2' : 'eu-west-1'}.amazonaws.com`,
    prefix: config.recordingsPrefix,
    account: model.account,
    genesysAccount: config.genesys.trustedAccountId,
    otherAccount: OTHER_ACCOUNT,
    genesysRoleName: model.genesysRoleName,
    breakGlassRoleName,
    legalHoldRoleName: config.operations.legalHoldRoleNames[0] ?? 'no-legal-hold-role',
    readerRoleName: model.reader?.roleName ?? 'no-reader-role',
    batchRoleName: model.batchOperations.roleName,
    orgId: config.genesys.organizationId,
    bucketArn: model.bucketArn,
  };
}

/** Replaces every `{name}` placeholder with its fact; unknown names are an error in the scenario table. */
export function fill(text: string, facts: ScenarioFacts): string {
  return text.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = facts[name];
    if (value === undefined)
      throw new Error(`Scenario placeholder {${name}} is not one of: ${Object.keys(facts).join(', ')}.`);
    return value;
  });
}

function resourceArn(model: AccessModel, facts: ScenarioFacts, resource: ResourceName): string {
  const recording = `${facts['orgId']}/year=2026/month=11/day=23/hour=11/conversation_id=0d2c1e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f/0f1e2d3c-4b5a-4697-8899-aabbccddeeff.opus`;
  switch (resource) {
    case 'recording-object':
      return `${model.bucketArn}/${facts['prefix']}${recording}`;
    case 'object-outside-prefix':
      return `${model.bucketArn}/outside/${recording}`;
    case 'connect-recording':
      return `${model.bucketArn}/${CONNECT_ARCHIVE_PREFIX}recording-archive/CallRecordings/2026/11/23/5f9e6c3a-1b2d-4e5f-8a9b-0c1d2e3f4a5b_20261123T11:34_UTC.wav`;
    case 'bucket':
      return model.bucketArn;
    case 'archive-key':
      return model.archiveKeyArn;
    case 'genesys-role':
      return model.genesysRoleArn;
    case 'retag-function':
      if (!model.retagFunctionArn)
        throw new Error('This environment has no re-tag function (no Connect recording location).');
      return model.retagFunctionArn;
    case 'other-function':
      return `arn:aws:lambda:${model.region}:${model.account}:function:another-function`;
  }
}

function resourcePolicy(model: AccessModel, resource: ResourceName): PolicyDocument {
  if (resource === 'archive-key') return model.keyPolicy;
  if (resource === 'genesys-role') return model.genesysTrustPolicy;
  // Lambda functions: no resource policy lets the Batch Operations role in; its identity policy must.
  if (resource === 'retag-function' || resource === 'other-function') return { Version: '2012-10-17', Statement: [] };
  return model.bucketPolicy;
}

function statementsOf(policy: unknown): Record<string, unknown>[] {
  if (!isRecord(policy)) return [];
  const list = policy['Statement'];
  return (Array.isArray(list) ? list : [list]).filter(isRecord);
}

/** Sid of a statement, or `no Sid: <Effect> <actions> if <condition keys>` for an unnamed one. */
export function statementLabel(statement: Record<string, unknown> | undefined): string {
  if (!statement) return 'unknown statement';
  if (typeof statement['Sid'] === 'string' && statement['Sid'] !== '') return statement['Sid'];
  const actions = [statement['Action'] ?? statement['NotAction']].flat().map(String).join(',');
  const condition = statement['Condition'];
  const keys = isRecord(condition)
    ? Object.values(condition)
        .filter(isRecord)
        .flatMap((op) => Object.keys(op))
    : [];
  const principal = statement['Principal'];
  const root =
    isRecord(principal) && typeof principal['AWS'] === 'string'
      ? /^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(principal['AWS'])
      : null;
  return `no Sid: ${String(statement['Effect'])} ${actions}${root ? ` to account ${root[1]}` : ''}${keys.length > 0 ? ` if ${keys.join(',')}` : ''}`;
}

function decidingStatements(
  analysis: RequestAnalysis,
  identity: readonly { name: string; policy: unknown }[],
  resource: PolicyDocument,
): string[] {
  const pick = (policyType: string, policyIdentifier: string | undefined, index: number) => {
    const policy = policyType === 'resource' ? resource : identity.find((p) => p.name === policyIdentifier)?.policy;
    return statementLabel(statementsOf(policy)[index - 1]);
  };
  if (analysis.result === 'Allowed') {
    return getGrantReasons(analysis).map(
      (g) =>
        g.statementId ?? pick(g.policyType, 'policyIdentifier' in g ? g.policyIdentifier : undefined, g.statementIndex),
    );
  }
  const labels = getDenialReasons(analysis).map((d) =>
    d.denialType === 'Explicit'
      ? (d.statementId ?? pick(d.policyType, d.policyIdentifier, d.statementIndex))
      : NO_ALLOW,
  );
  return [...new Set(labels.length > 0 ? labels : [NO_ALLOW])];
}

/**
 * Runs one scenario with iam-simulate against one environment's policies: the bucket policy
 * for S3 requests, the key policy for KMS, the trust policy for `sts:AssumeRole`, and the
 * caller's identity policies (the Genesys role's come from the template).
 */
export async function evaluateScenario(
  model: AccessModel,
  facts: ScenarioFacts,
  scenario: AccessScenario,
): Promise<ScenarioOutcome> {
  const spec = PRINCIPALS[scenario.principal];
  const identityPolicies =
    spec.identityPolicies === 'template'
      ? model.genesysIdentityPolicies.map((p) => ({ name: p.name, policy: p.policy }))
      : spec.identityPolicies === 'reader-template'
        ? readerPolicies(model)
        : spec.identityPolicies === 'batch-template'
          ? model.batchOperations.identityPolicies.map((p) => ({ name: p.name, policy: p.policy }))
          : spec.identityPolicies.map((policy, i) => ({
              name: `${scenario.principal}-${i + 1}`,
              policy: JSON.parse(fill(JSON.stringify(policy), facts)) as unknown,
            }));
  const contextVariables: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(scenario.context)) {
    contextVariables[key] = typeof value === 'string' ? fill(value, facts) : value.map((v) => fill(v, facts));
  }
  if (spec.arn) {
    const principalArn = fill(spec.principalArn ?? spec.arn, facts);
    contextVariables['aws:PrincipalArn'] ??= principalArn;
    contextVariables['aws:PrincipalAccount'] ??= principalArn.split(':')[4];
  }
  const policy = resourcePolicy(model, scenario.resource);
  const simulation: Simulation = {
    request: {
      principal: spec.arn ? fill(spec.arn, facts) : anonymousPrincipal,
      action: scenario.action,
      resource: { resource: resourceArn(model, facts, scenario.resource), accountId: model.account },
      contextVariables,
    },
    identityPolicies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: policy,
    additionalSettings: { s3: { blockPublicAccess: model.restrictPublicBuckets } },
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === 'error') {
    throw new Error(
      `Scenario ${scenario.id} could not be simulated: ${response.errors.message} (${JSON.stringify(response.errors)}).`,
    );
  }
  if (response.resultType !== 'single') {
    throw new Error(`Scenario ${scenario.id} names a wildcard resource; give one concrete resource per scenario.`);
  }
  const ignored = response.result.ignoredContextKeys ?? [];
  if (ignored.length > 0) {
    throw new Error(
      `Scenario ${scenario.id} sets context keys that ${scenario.action} does not have: ${ignored.join(', ')}.`,
    );
  }
  return {
    decision: response.overallResult,
    decidedBy: decidingStatements(response.result.analysis, identityPolicies, policy),
  };
}

/** True when the outcome is the scenario's expected decision, decided by the expected statement if one is named. */
export function outcomeMatches(scenario: AccessScenario, outcome: ScenarioOutcome): boolean {
  return (
    outcome.decision === scenario.expected &&
    (scenario.decidedBy === undefined || outcome.decidedBy.includes(scenario.decidedBy))
  );
}

/** One line per mismatch: the scenario, what was expected, the decision and the deciding statements. */
export function describeMismatches(envName: string, mismatches: readonly ScenarioMismatch[]): string {
  return mismatches
    .map(
      ({ scenario, outcome }) =>
        `[${envName}] ${scenario.id}: expected ${scenario.expected}${scenario.decidedBy ? ` by ${scenario.decidedBy}` : ''}, got ${outcome.decision} by ${outcome.decidedBy.join(' + ')}`,
    )
    .join('\n');
}

function readerPolicies(model: AccessModel): { name: string; policy: unknown }[] {
  if (!model.reader)
    throw new Error(
      'This environment has no recording-reader role, so the reader scenarios cannot run; set operations.readerRole.assumedByRoleNames.',
    );
  return model.reader.identityPolicies.map((p) => ({ name: p.name, policy: p.policy }));
}
