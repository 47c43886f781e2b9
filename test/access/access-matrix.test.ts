import * as fs from 'fs';
import * as path from 'path';
import {
  EnvironmentResult,
  evaluateEnvironment,
  ACCESS_MATRIX_DOCS_DIR,
  DOCS_REFRESH_COMMAND,
  renderEnvironmentPage,
} from './access-matrix';
import { ACCESS_ENVIRONMENTS, EnvironmentTemplates, synthesizeEnvironment } from './environment-templates';
import { containsUnresolved, isRecord, resolveStacks, StackTemplate } from './resolve-template';
import { SCENARIOS } from './scenarios';
import { describeMismatches } from './simulate-scenario';

const environments = new Map<string, EnvironmentTemplates>();
const results = new Map<string, EnvironmentResult>();

beforeAll(async () => {
  for (const envName of ACCESS_ENVIRONMENTS) {
    const env = synthesizeEnvironment(envName);
    environments.set(envName, env);
    results.set(envName, await evaluateEnvironment(env));
  }
}, 300_000); // a synth per environment: minutes on a loaded 2-core machine

/** A copy of the stacks whose recording-bucket policy lacks every statement the predicate picks. */
function withoutBucketPolicyStatements(
  stacks: readonly StackTemplate[],
  pick: (statement: Record<string, unknown>) => boolean,
): StackTemplate[] {
  let removed = 0;
  const copy = stacks.map((stack) => ({ ...stack, template: structuredClone(stack.template) }));
  for (const stack of copy) {
    const resources = isRecord(stack.template['Resources']) ? stack.template['Resources'] : {};
    for (const resource of Object.values(resources)) {
      if (!isRecord(resource) || resource['Type'] !== 'AWS::S3::BucketPolicy' || !isRecord(resource['Properties']))
        continue;
      const document = resource['Properties']['PolicyDocument'];
      if (!isRecord(document) || !Array.isArray(document['Statement'])) continue;
      const kept = document['Statement'].filter((s: unknown) => !(isRecord(s) && pick(s)));
      removed += document['Statement'].length - kept.length;
      document['Statement'] = kept;
    }
  }
  if (removed === 0) throw new Error('The mutation removed no statement, so it proves nothing.');
  return copy;
}

/** A copy of the stacks whose Genesys role may send any ACL (the statement's condition removed). */
function withoutOwnerAclCondition(stacks: readonly StackTemplate[]): StackTemplate[] {
  let removed = 0;
  const copy = stacks.map((stack) => ({ ...stack, template: structuredClone(stack.template) }));
  for (const stack of copy) {
    const resources = isRecord(stack.template['Resources']) ? stack.template['Resources'] : {};
    for (const resource of Object.values(resources)) {
      if (!isRecord(resource) || resource['Type'] !== 'AWS::IAM::ManagedPolicy' || !isRecord(resource['Properties']))
        continue;
      const document = resource['Properties']['PolicyDocument'];
      if (!isRecord(document) || !Array.isArray(document['Statement'])) continue;
      for (const statement of document['Statement']) {
        if (isRecord(statement) && statement['Sid'] === 'WriteRecordingsWithOwnerAcl' && statement['Condition']) {
          delete statement['Condition'];
          removed++;
        }
      }
    }
  }
  if (removed === 0) throw new Error('The mutation removed no condition, so it proves nothing.');
  return copy;
}

const isCidrDeny = (s: Record<string, unknown>) => s['Sid'] === 'DenyGenesysWritesOutsideAllowedCidrs';
const isLegalHoldDeny = (s: Record<string, unknown>) => s['Sid'] === 'DenyLegalHoldExceptHoldRoles';
const isTlsDeny = (s: Record<string, unknown>) =>
  JSON.stringify(s['Condition']) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } });

describe('scenario table', () => {
  test('holds at least 25 scenarios with unique ids', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(25);
    expect(new Set(SCENARIOS.map((s) => s.id)).size).toBe(SCENARIOS.length);
  });

  test('covers allowed, explicitly denied and implicitly denied requests of every principal', () => {
    expect(new Set(SCENARIOS.map((s) => s.expected))).toEqual(
      new Set(['Allowed', 'ExplicitlyDenied', 'ImplicitlyDenied']),
    );
    expect(new Set(SCENARIOS.map((s) => s.principal))).toEqual(
      new Set([
        'genesys-role',
        'genesys-account',
        'account-admin',
        'break-glass',
        'other-account-admin',
        'anonymous',
        'legal-hold',
        'reader',
        'batch-operations',
        'connect',
      ]),
    );
  });
});

describe.each(ACCESS_ENVIRONMENTS)('access matrix of %s', (envName) => {
  test('every resource of every stack resolves to concrete values', () => {
    const unresolved = resolveStacks(environments.get(envName)!.stacks).filter((r) => containsUnresolved(r.properties));
    expect(unresolved.map((r) => `${r.stackName}/${r.logicalId}`)).toEqual([]);
  });

  test.each(SCENARIOS.map((s) => [s.id, s] as const))('%s', (_id, scenario) => {
    const result = results.get(envName)!;
    const env = environments.get(envName)!;
    // A scenario about a principal the environment does not have is not asked, for that reason only.
    const reason = result.notApplicable.get(scenario.id);
    if (reason !== undefined) {
      expect(result.outcomes.has(scenario.id)).toBe(false);
      const lacks: Record<string, boolean> = {
        'no recording-reader role': scenario.principal === 'reader',
        'no legalHoldRoleNames':
          scenario.principal === 'legal-hold' && env.config.operations.legalHoldRoleNames.length === 0,
        'connect.recordIntoArchive is off':
          scenario.principal === 'connect' && env.config.connect?.recordIntoArchive !== true,
        'no re-tag function': scenario.resource === 'retag-function',
      };
      expect(lacks[reason]).toBe(true);
      return;
    }
    const mismatch = result.mismatches.find((m) => m.scenario.id === scenario.id);
    if (mismatch) throw new Error(describeMismatches(envName, [mismatch]));
    expect(result.outcomes.get(scenario.id)?.decision).toBe(scenario.expected);
  });

  test('without the CIDR deny, exactly the outside-CIDR scenarios fail', async () => {
    const env = environments.get(envName)!;
    const mutated = await evaluateEnvironment({
      ...env,
      stacks: withoutBucketPolicyStatements(env.stacks, isCidrDeny),
    });
    expect(mutated.mismatches.map((m) => m.scenario.id).sort()).toEqual([
      'genesys-acl-outside-cidr',
      'genesys-put-next-to-cidr',
      'genesys-put-no-source-ip',
      'genesys-put-outside-cidr',
    ]);
    expect(mutated.mismatches.every((m) => m.outcome.decision === 'Allowed')).toBe(true);
  });

  test('without its s3:x-amz-acl condition, exactly the other-ACL scenarios of the Genesys role fail', async () => {
    const env = environments.get(envName)!;
    const mutated = await evaluateEnvironment({ ...env, stacks: withoutOwnerAclCondition(env.stacks) });
    expect(mutated.mismatches.map((m) => m.scenario.id).sort()).toEqual([
      'genesys-acl-authenticated-read',
      'genesys-acl-bucket-owner-read',
      'genesys-acl-grant-header',
      'genesys-acl-private',
      'genesys-acl-public-read',
      'genesys-acl-public-read-write',
    ]);
    expect(mutated.mismatches.every((m) => m.outcome.decision === 'Allowed')).toBe(true);
  });

  test('without the legal-hold deny, exactly the holds by other principals fail', async () => {
    const env = environments.get(envName)!;
    const mutated = await evaluateEnvironment({
      ...env,
      stacks: withoutBucketPolicyStatements(env.stacks, isLegalHoldDeny),
    });
    expect(mutated.mismatches.map((m) => [m.scenario.id, m.outcome.decision]).sort()).toEqual([
      ['admin-put-legal-hold', 'Allowed'],
      ['break-glass-put-legal-hold', 'Allowed'],
      ['reader-put-legal-hold', 'ImplicitlyDenied'],
    ]);
  });

  test('without the deny that keeps Connect in connect/, exactly its writes and deletes elsewhere fail', async () => {
    const env = environments.get(envName)!;
    if (env.config.connect?.recordIntoArchive !== true) {
      expect(results.get(envName)!.notApplicable.get('connect-writes-outside')).toBe(
        'connect.recordIntoArchive is off',
      );
      return;
    }
    const mutated = await evaluateEnvironment({
      ...env,
      stacks: withoutBucketPolicyStatements(env.stacks, (s) => s['Sid'] === 'DenyConnectOutsideItsPrefix'),
    });
    expect(mutated.mismatches.map((m) => [m.scenario.id, m.outcome.decision]).sort()).toEqual([
      ['connect-deletes-genesys-recording', 'Allowed'],
      ['connect-writes-genesys-prefix', 'Allowed'],
      ['connect-writes-outside', 'Allowed'],
    ]);
  });

  test('without the TLS deny, exactly the plain-HTTP scenarios fail', async () => {
    const env = environments.get(envName)!;
    const mutated = await evaluateEnvironment({ ...env, stacks: withoutBucketPolicyStatements(env.stacks, isTlsDeny) });
    const plainHttp = [
      'admin-get-without-tls',
      'break-glass-without-tls',
      'connect-without-tls',
      'genesys-put-without-tls',
    ];
    expect(mutated.mismatches.map((m) => m.scenario.id).sort()).toEqual(
      plainHttp.filter((id) => !mutated.notApplicable.has(id)),
    );
    expect(describeMismatches(envName, mutated.mismatches)).toContain(
      'expected ExplicitlyDenied by no Sid: Deny s3:* if aws:SecureTransport, got Allowed by',
    );
  });
});

describe.each(ACCESS_ENVIRONMENTS)('docs page of %s', (envName) => {
  test(`${ACCESS_MATRIX_DOCS_DIR}/<env>.md is current`, () => {
    const file = path.join(__dirname, '..', '..', ACCESS_MATRIX_DOCS_DIR, `${envName}.md`);
    const page = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (page !== renderEnvironmentPage(results.get(envName)!)) {
      throw new Error(
        `${ACCESS_MATRIX_DOCS_DIR}/${envName}.md is ${page === undefined ? 'missing' : 'stale'}; run \`${DOCS_REFRESH_COMMAND}\` and commit it.`,
      );
    }
  });
});

test(`${ACCESS_MATRIX_DOCS_DIR} holds a page for committed environments only`, () => {
  const pages = fs
    .readdirSync(path.join(__dirname, '..', '..', ACCESS_MATRIX_DOCS_DIR))
    .filter((f) => f.endsWith('.md'));
  expect(pages.map((f) => f.slice(0, -3)).filter((e) => !ACCESS_ENVIRONMENTS.includes(e))).toEqual([]);
});
