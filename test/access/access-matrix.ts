import { buildAccessModel } from './access-model';
import { ACCESS_ENVIRONMENTS, EnvironmentTemplates, synthesizeEnvironment } from './environment-templates';
import { AccessScenario, Decision, PRINCIPALS, SCENARIOS } from './scenarios';
import {
  evaluateScenario,
  outcomeMatches,
  ScenarioMismatch,
  ScenarioOutcome,
  scenarioFacts,
} from './simulate-scenario';

/** Every scenario's outcome in one environment. */
export interface EnvironmentResult {
  readonly envName: string;
  readonly outcomes: ReadonlyMap<string, ScenarioOutcome>;
  readonly mismatches: readonly ScenarioMismatch[];
}

/** Markers of the README section this module owns. */
export const README_BEGIN = '<!-- BEGIN access-review -->';
export const README_END = '<!-- END access-review -->';

/** The command that rewrites the README section. */
export const README_REFRESH_COMMAND = 'npm run access-matrix -- --write-readme';

/** Runs the scenarios against the synthesized templates of one environment. */
export async function evaluateEnvironment(
  env: EnvironmentTemplates,
  scenarios: readonly AccessScenario[] = SCENARIOS,
): Promise<EnvironmentResult> {
  const model = buildAccessModel(env.stacks);
  const facts = scenarioFacts(env.config, model);
  const outcomes = new Map<string, ScenarioOutcome>();
  const mismatches: ScenarioMismatch[] = [];
  for (const scenario of scenarios) {
    const outcome = await evaluateScenario(model, facts, scenario);
    outcomes.set(scenario.id, outcome);
    if (!outcomeMatches(scenario, outcome)) mismatches.push({ scenario, outcome });
  }
  return { envName: env.envName, outcomes, mismatches };
}

/** Synthesizes every committed environment and runs every scenario against it. */
export async function computeMatrix(envNames: readonly string[] = ACCESS_ENVIRONMENTS): Promise<EnvironmentResult[]> {
  const results: EnvironmentResult[] = [];
  for (const envName of envNames) results.push(await evaluateEnvironment(synthesizeEnvironment(envName)));
  return results;
}

const DECISION_TEXT: Record<Decision, string> = {
  Allowed: 'allowed',
  ExplicitlyDenied: 'denied',
  ImplicitlyDenied: 'denied (no Allow)',
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function outcomeCell(scenario: AccessScenario, outcome: ScenarioOutcome | undefined): string {
  if (!outcome) return 'not run';
  const by = outcome.decision === 'ImplicitlyDenied' ? '' : `: ${outcome.decidedBy.map((l) => `\`${l}\``).join(' + ')}`;
  const text = `${DECISION_TEXT[outcome.decision]}${by}`;
  return outcomeMatches(scenario, outcome) ? text : `**MISMATCH** (expected ${DECISION_TEXT[scenario.expected]}) ${text}`;
}

function contextCell(scenario: AccessScenario): string {
  const entries = Object.entries(scenario.context);
  if (entries.length === 0) return '(none)';
  return entries.map(([key, value]) => `\`${key}=${[value].flat().join(',')}\``).join(' ');
}

/** The access matrix as a markdown table: one row per scenario, one outcome column per environment. */
export function renderMatrix(results: readonly EnvironmentResult[], scenarios: readonly AccessScenario[] = SCENARIOS): string {
  const header = ['#', 'scenario', 'principal', 'request', 'context', 'expected', ...results.map((r) => `\`${r.envName}\``)];
  const rows = scenarios.map((s, i) => [
    String(i + 1),
    `${s.description} (\`${s.id}\`)`,
    PRINCIPALS[s.principal].label,
    `\`${s.action}\` on ${s.resource}`,
    contextCell(s),
    DECISION_TEXT[s.expected],
    ...results.map((r) => outcomeCell(s, r.outcomes.get(s.id))),
  ]);
  return [header, header.map(() => '---'), ...rows].map((row) => `| ${row.map(cell).join(' | ')} |`).join('\n');
}

/** The whole README section between the access-review markers (markers included). */
export function renderReadmeSection(results: readonly EnvironmentResult[]): string {
  const counts = results.map((r) => `\`${r.envName}\` ${r.outcomes.size - r.mismatches.length}/${r.outcomes.size}`).join(', ');
  return [
    README_BEGIN,
    '## Access review',
    '',
    'Who can do what to the recordings is not read from the policies but computed from them.',
    '`test/access/` synthesizes every committed environment in process, resolves the templates (`Ref`,',
    '`Fn::GetAtt`, `Fn::Join`, `Fn::Sub`, `Fn::ImportValue`, `Fn::GetStackOutput` become concrete ARNs built',
    "from the stack's account and region and fake physical names derived from logical IDs), and evaluates each",
    'scenario with [@cloud-copilot/iam-simulate](https://github.com/cloud-copilot/iam-simulate) against the',
    "recording bucket's policy (S3 requests), the archive key's policy (KMS), the Genesys role's trust",
    'policy (`sts:AssumeRole`) and the caller\'s identity policies: for the Genesys role, every policy the',
    'template attaches to it. The bucket, key and role are found by what they are (the Object Lock',
    "bucket, the key of its default encryption, the role whose trust requires an `sts:ExternalId`), so",
    'new stacks do not disturb the simulation. Not simulated: SCPs and RCPs of your organization, the',
    'replication role, VPC endpoint policies, and S3 Object Lock itself (a locked version cannot be',
    'deleted even by an allowed request).',
    '',
    '**Add a scenario.** Append a row to `SCENARIOS` in `test/access/scenarios.ts`: principal',
    '(`genesys-role`, `genesys-account`, `account-admin`, `break-glass`, `other-account-admin`, `anonymous`), action,',
    'resource (`recording-object`, `object-outside-prefix`, `bucket`, `archive-key`, `genesys-role`),',
    'request context, the expected decision and, optionally, the statement that must decide it (its Sid).',
    'Context values may use placeholders filled per environment: `{insideIp}`, `{lastInsideIp}`,',
    '`{outsideIp}` and `{nextToCidrIp}` come from the committed Genesys CIDR list, `{externalId}` from the',
    'organization id, `{archiveKeyArn}` from the template. Then run `npx jest test/access` and',
    `\`${README_REFRESH_COMMAND}\`. A mismatch prints the decision and the deciding statements.`,
    '',
    `**The matrix** (${SCENARIOS.length} scenarios; as expected: ${counts}). Generated by \`npm run access-matrix\`;`,
    '`test/access/access-matrix.test.ts` fails when this copy is stale.',
    '',
    renderMatrix(results),
    '',
    '**No secrets in templates.** `test/access/secret-scan.test.ts` scans every template of every stack of every',
    'committed environment for AWS access keys (`AKIA`/`ASIA`...), PEM private keys, bearer tokens, JWTs, GitHub',
    'and Slack tokens, credentials in URLs, and literal strings under secret-named properties (`clientSecret`,',
    '`password`, `token`, ...), also inside JSON strings. Secrets are referenced by ARN, name or',
    '`{{resolve:secretsmanager:...}}` only.',
    '',
    '**Pull requests.** `npm run diff -- --base REF [--head REF] [--env NAME] [--allow]` synthesizes `REF` in a',
    "temporary git worktree that shares this checkout's `node_modules` (the base's own `bin/app.ts`, through",
    '`npx cdk synth -c env=NAME`), and the working tree (or `--head`), for every committed environment or the',
    'one named, and diffs the templates offline with `@aws-cdk/cloudformation-diff`. It prints the IAM and',
    'security-group change tables and the resource changes, and exits 1 when a stateful resource',
    '(`AWS::KMS::Key`, `AWS::S3::Bucket`, anything with `DeletionPolicy` or `UpdateReplacePolicy` `Retain`)',
    'would be replaced, removed or orphaned, or when permissions broaden (new IAM statements, wider security',
    'groups), unless `--allow` is given; it exits 2 when it cannot synthesize. The worktree is removed also on',
    'failure. `.github/workflows/pr-review.yml` runs it and the access matrix on every pull request and posts',
    'both as one comment, updated on each push; the job fails on a blocking change until a reviewer adds the',
    'label `pr-review:allow`. The classification is `scripts/pr-review/classify-diff.ts`, tested with plain and',
    'synthesized templates in `test/access/classify-diff.test.ts`.',
    README_END,
  ].join('\n');
}

/** The README's current access-review section (markers included), or undefined when the markers are missing. */
export function readmeSection(readme: string): string | undefined {
  const start = readme.indexOf(README_BEGIN);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(start, end + README_END.length);
}

/** The README with its access-review section replaced; fails when the markers are missing. */
export function replaceReadmeSection(readme: string, section: string): string {
  const current = readmeSection(readme);
  if (current === undefined) throw new Error(`README.md has no ${README_BEGIN} ... ${README_END} markers to write the access matrix between.`);
  return readme.replace(current, () => section);
}
