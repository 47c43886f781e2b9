import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ArchiveConfig } from '../../lib/config';
import { costProjection, CostProjection } from '../../lib/cost/projection';
import type { TimelineRow } from '../../lib/retention/timeline';
import { nagPacks } from '../../lib/nag';
import { evaluateEnvironment } from '../../test/access/access-matrix';
import { isRecord, resolveStacks, ResolvedResource, StackTemplate } from '../../test/access/resolve-template';
import { PRINCIPALS, SCENARIOS } from '../../test/access/scenarios';
import { outcomeMatches } from '../../test/access/simulate-scenario';
import { buildEnvironment } from '../../test/support/app';

const ROOT = path.join(__dirname, '..', '..');

/** One row of the access matrix as the page shows it. */
export interface AccessRow {
  readonly id: string;
  readonly description: string;
  readonly principal: string;
  readonly request: string;
  readonly context: string;
  readonly expected: string;
  readonly decision: string;
  readonly decidedBy: readonly string[];
  readonly asExpected: boolean;
}

/** One acknowledged cdk-nag finding: where, which rule, why. */
export interface NagAcknowledgement {
  readonly path: string;
  readonly rule: string;
  readonly reason: string;
}

/** One cdk-nag pack's result over the environment. */
export interface NagPackResult {
  readonly pack: string;
  readonly unacknowledged: readonly { readonly rule: string; readonly resources: readonly string[] }[];
  readonly acknowledgements: readonly NagAcknowledgement[];
}

/** A refused trap and the tests that prove the refusal. */
export interface TrapEvidence {
  readonly id: string;
  readonly trap: string;
  readonly refusal: string;
  readonly tests: readonly { readonly file: string; readonly title: string }[];
}

/** A resource as synthesized, with intrinsics resolved. */
export interface SynthesizedResource {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** Everything the evidence page shows, computed from the config and the synthesized templates. */
export interface EvidenceData {
  readonly envName: string;
  readonly config: ArchiveConfig;
  readonly commit: { readonly id: string; readonly dirty: boolean };
  readonly generatedAt: string;
  readonly timeline: readonly TimelineRow[];
  readonly buckets: readonly SynthesizedResource[];
  readonly keys: readonly SynthesizedResource[];
  readonly lifecycleCustomResources: readonly SynthesizedResource[];
  readonly access: readonly AccessRow[];
  readonly nag: readonly NagPackResult[];
  readonly traps: readonly TrapEvidence[];
  readonly cost: CostProjection;
}

/** The traps of design.md the app refuses (ids are what the tests name). */
export const TRAPS: readonly Omit<TrapEvidence, 'tests'>[] = [
  {
    id: 'T1',
    trap: 'versioning without a noncurrent-version expiration',
    refusal: 'lifecycle always expires noncurrent versions; config cannot turn it off',
  },
  {
    id: 'T2',
    trap: "a storage mode that deletes the platform's native copy (PRIMARY)",
    refusal: 'only DUAL (copy) exists; asking for PRIMARY fails with the reason',
  },
  { id: 'T3', trap: 'static key paths / no date partitioning', refusal: 'key layout must be date-partitioned' },
  {
    id: 'T4',
    trap: "S3 expiration shorter than the platform's retention window",
    refusal: 'error: S3 window must equal (never undercut) the platform window',
  },
  {
    id: 'E1',
    trap: "bucket region differs from the platform's region",
    refusal: 'error; replication adds a copy in another region',
  },
  { id: 'E2', trap: 'KMS key given as an alias', refusal: 'error: give the full key ARN' },
  {
    id: 'E3',
    trap: 'path prefix changed after recordings exist',
    refusal: 'error on update unless an explicit migration flag is set',
  },
  {
    id: 'L1',
    trap: 'a retention class longer than the prefix-wide expiration',
    refusal: 'error: S3 honors the shorter expiration, so that class could never apply',
  },
  {
    id: 'L2',
    trap: 'Object Lock default retention longer than the shortest retention class',
    refusal: 'error: locked versions cannot be deleted on time',
  },
  { id: 'L3', trap: "transitions that break S3's rules", refusal: 'error before CloudFormation would reject it' },
  {
    id: 'L4',
    trap: 'writing lifecycle rules on an existing bucket by replacing its configuration',
    refusal: 'never: read, merge own rules by ID, write; remove only own rules on delete',
  },
  { id: 'G1', trap: "PutObjectTagging that wipes the object's other tags", refusal: 'never: merge with existing tags' },
];

/** Test titles that name a trap id, found in the test sources (so the page lists the tests that exist). */
export function trapTests(testRoot = path.join(ROOT, 'test')): TrapEvidence[] {
  const found: { file: string; title: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.test.ts')) {
        const text = fs.readFileSync(full, 'utf8');
        for (const m of text.matchAll(/\b(?:test|it)(?:\.each\([^)]*\))?\(\s*(['`])((?:(?!\1).)*)\1/g)) {
          found.push({ file: path.relative(ROOT, full), title: m[2] });
        }
      }
    }
  };
  walk(testRoot);
  return TRAPS.map((trap) => ({ ...trap, tests: found.filter((t) => new RegExp(`\\b${trap.id}\\b`).test(t.title)) }));
}

/** Every acknowledgement recorded on the construct tree (Validations.of(scope).acknowledge), by pack. */
function acknowledgements(app: App): NagAcknowledgement[] {
  const out: NagAcknowledgement[] = [];
  const visit = (c: IConstruct) => {
    for (const entry of c.node.metadata) {
      if (entry.type !== 'aws:cdk:acknowledged-rules' || !isRecord(entry.data)) continue;
      for (const [id, reason] of Object.entries(entry.data))
        out.push({ path: c.node.path, rule: id.replace(/^Annotation::/, ''), reason: String(reason) });
    }
    c.node.children.forEach(visit);
  };
  visit(app);
  return out;
}

function nagResults(app: App): NagPackResult[] {
  const acks = acknowledgements(app);
  return nagPacks().map((pack) => ({
    pack: pack.name,
    unacknowledged: pack.validateScope(app).violations.map((v) => ({
      rule: v.ruleName,
      resources: v.violatingResources.map((r) => r.constructPath ?? r.resourceLogicalId ?? '(unknown)'),
    })),
    acknowledgements: acks.filter((a) => a.rule.startsWith(`${pack.name}-`)),
  }));
}

function gitCommit(): { id: string; dirty: boolean } {
  try {
    const id = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim() !==
      '';
    return { id, dirty };
  } catch {
    return { id: 'unknown (not a git checkout)', dirty: false };
  }
}

const DECISION_TEXT = {
  Allowed: 'allowed',
  ExplicitlyDenied: 'denied',
  ImplicitlyDenied: 'denied (no Allow)',
} as const;

/** Options of the cost section. */
export interface EvidenceCostOptions {
  readonly recordingsPerDay: number;
  readonly averageMb: number;
  readonly shares?: Readonly<Record<string, number>>;
  readonly region?: string;
}

/** Synthesizes one environment in process and gathers the page's evidence. */
export async function collectEvidence(
  envName: string,
  timelineOf: (config: ArchiveConfig) => readonly TimelineRow[],
  cost: EvidenceCostOptions,
  now: Date = new Date(),
): Promise<EvidenceData> {
  const { app, config } = buildEnvironment(envName);
  const assembly = app.synth();
  const stacks: StackTemplate[] = assembly.stacksRecursively.map((artifact) => ({
    stackName: artifact.stackName,
    account: artifact.environment.account,
    region: artifact.environment.region,
    template: structuredClone(artifact.template) as Record<string, unknown>,
  }));
  const resolved = resolveStacks(stacks);
  const pick = (r: ResolvedResource): SynthesizedResource => ({
    stackName: r.stackName,
    logicalId: r.logicalId,
    type: r.type,
    properties: r.properties,
  });

  const result = await evaluateEnvironment({ envName, config, stacks });
  const access: AccessRow[] = SCENARIOS.map((s) => {
    const outcome = result.outcomes.get(s.id)!;
    return {
      id: s.id,
      description: s.description,
      principal: PRINCIPALS[s.principal].label,
      request: `${s.action} on ${s.resource}`,
      context:
        Object.entries(s.context)
          .map(([k, v]) => `${k}=${[v].flat().join(',')}`)
          .join(' ') || '(none)',
      expected: DECISION_TEXT[s.expected],
      decision: DECISION_TEXT[outcome.decision],
      decidedBy: outcome.decidedBy,
      asExpected: outcomeMatches(s, outcome),
    };
  });

  const timeline = timelineOf(config);
  return {
    envName,
    config,
    commit: gitCommit(),
    generatedAt: now.toISOString(),
    timeline,
    buckets: resolved.filter((r) => r.type === 'AWS::S3::Bucket').map(pick),
    keys: resolved.filter((r) => r.type === 'AWS::KMS::Key').map(pick),
    lifecycleCustomResources: resolved.filter((r) => r.type === 'Custom::ConnectBucketLifecycle').map(pick),
    access,
    nag: nagResults(app),
    traps: trapTests(),
    cost: costProjection({
      rows: timeline,
      recordingsPerDay: cost.recordingsPerDay,
      averageMb: cost.averageMb,
      shares: cost.shares,
      region: cost.region ?? config.region,
      replicaRegion: config.replication?.region,
    }),
  };
}
