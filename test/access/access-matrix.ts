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
  /** Scenarios about a principal this environment does not have, with what its config lacks. */
  readonly notApplicable: ReadonlyMap<string, string>;
}

/** The command that rewrites the generated pages under docs/access-matrix/. */
export const DOCS_REFRESH_COMMAND = 'npm run access-matrix -- --write-docs';

/** Folder of the generated per-environment pages, relative to the repository root. */
export const ACCESS_MATRIX_DOCS_DIR = 'docs/access-matrix';

/** Runs the scenarios against the synthesized templates of one environment. */
export async function evaluateEnvironment(
  env: EnvironmentTemplates,
  scenarios: readonly AccessScenario[] = SCENARIOS,
): Promise<EnvironmentResult> {
  const model = buildAccessModel(env.stacks);
  const facts = scenarioFacts(env.config, model);
  const outcomes = new Map<string, ScenarioOutcome>();
  const mismatches: ScenarioMismatch[] = [];
  // An environment without the optional recording-reader role or legal-hold roles, without the
  // re-tag function, or whose Connect instance does not record into the archive, has no such
  // principal or resource to ask about.
  const missing = (s: AccessScenario): string | undefined => {
    if (s.principal === 'reader' && model.reader === undefined) return 'no recording-reader role';
    if (s.principal === 'legal-hold' && env.config.operations.legalHoldRoleNames.length === 0)
      return 'no legalHoldRoleNames';
    if (s.principal === 'connect' && env.config.connect?.recordIntoArchive !== true)
      return 'connect.recordIntoArchive is off';
    if (s.resource === 'retag-function' && model.retagFunctionArn === undefined) return 'no re-tag function';
    return undefined;
  };
  const notApplicable = new Map<string, string>();
  for (const scenario of scenarios) {
    const reason = missing(scenario);
    if (reason !== undefined) {
      notApplicable.set(scenario.id, reason);
      continue;
    }
    const outcome = await evaluateScenario(model, facts, scenario);
    outcomes.set(scenario.id, outcome);
    if (!outcomeMatches(scenario, outcome)) mismatches.push({ scenario, outcome });
  }
  return { envName: env.envName, outcomes, mismatches, notApplicable };
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

function outcomeCell(scenario: AccessScenario, outcome: ScenarioOutcome | undefined, notRun?: string): string {
  if (!outcome) return notRun ? `not run: ${notRun}` : 'not run';
  const by = outcome.decision === 'ImplicitlyDenied' ? '' : `: ${outcome.decidedBy.map((l) => `\`${l}\``).join(' + ')}`;
  const text = `${DECISION_TEXT[outcome.decision]}${by}`;
  return outcomeMatches(scenario, outcome)
    ? text
    : `**MISMATCH** (expected ${DECISION_TEXT[scenario.expected]}) ${text}`;
}

function contextCell(scenario: AccessScenario): string {
  const entries = Object.entries(scenario.context);
  if (entries.length === 0) return '(none)';
  return entries.map(([key, value]) => `\`${key}=${[value].flat().join(',')}\``).join(' ');
}

/** The access matrix as a markdown table: one row per scenario, one outcome column per environment. */
export function renderMatrix(
  results: readonly EnvironmentResult[],
  scenarios: readonly AccessScenario[] = SCENARIOS,
): string {
  const header = [
    '#',
    'scenario',
    'principal',
    'request',
    'context',
    'expected',
    ...results.map((r) => `\`${r.envName}\``),
  ];
  const rows = scenarios.map((s, i) => [
    String(i + 1),
    `${s.description} (\`${s.id}\`)`,
    PRINCIPALS[s.principal].label,
    `\`${s.action}\` on ${s.resource}`,
    contextCell(s),
    DECISION_TEXT[s.expected],
    ...results.map((r) => outcomeCell(s, r.outcomes.get(s.id), r.notApplicable.get(s.id))),
  ]);
  return [header, header.map(() => '---'), ...rows].map((row) => `| ${row.map(cell).join(' | ')} |`).join('\n');
}

/** The generated page `docs/access-matrix/<env>.md` of one environment. */
export function renderEnvironmentPage(
  result: EnvironmentResult,
  scenarios: readonly AccessScenario[] = SCENARIOS,
): string {
  const asExpected = result.outcomes.size - result.mismatches.length;
  return [
    `# Access matrix: \`${result.envName}\``,
    '',
    `<!-- Generated by \`${DOCS_REFRESH_COMMAND}\` from test/access/scenarios.ts and the synthesized templates of \`${result.envName}\`; do not edit. -->`,
    '',
    `${scenarios.length} scenarios, ${asExpected}/${result.outcomes.size} as expected. How it is computed and how to add a`,
    'scenario: [access review](../access-review.md). `test/access/access-matrix.test.ts` fails when this page is stale.',
    '',
    renderMatrix([result], scenarios),
    '',
  ].join('\n');
}
