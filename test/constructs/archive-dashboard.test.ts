import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FINDING_TYPES } from '../../lambda/pointer-integrity/findings';
import { DASHBOARD_WIDGETS } from '../../lib/constructs/archive-dashboard';
import { buildEnvironment, configWith } from '../support/app';

interface Widget {
  readonly type: string;
  readonly properties: {
    readonly title?: string;
    readonly markdown?: string;
    readonly metrics?: unknown[][];
    readonly period?: number;
    readonly stat?: string;
  };
}

/** The dashboard body of a stack with every token replaced by a readable placeholder. */
function dashboardWidgets(stack: Stack): Widget[] {
  const dashboards = Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard');
  expect(Object.keys(dashboards)).toHaveLength(1);
  const body = Object.values(dashboards)[0].Properties.DashboardBody as string | { 'Fn::Join': [string, unknown[]] };
  const text =
    typeof body === 'string'
      ? body
      : body['Fn::Join'][1]
          .map((part) => (typeof part === 'string' ? part : `<${JSON.stringify(part).replace(/"/g, "'")}>`))
          .join('');
  return (JSON.parse(text) as { widgets: Widget[] }).widgets;
}

const titles = (widgets: readonly Widget[]) =>
  widgets.filter((w) => w.type === 'metric').map((w) => w.properties.title);
const widget = (widgets: readonly Widget[], title: string) => widgets.find((w) => w.properties.title === title)!;
/** Metric arrays: [namespace, metricName, dimension, value, ...options]. */
const metricNames = (w: Widget) => (w.properties.metrics ?? []).map((m) => `${String(m[0])}/${String(m[1])}`);

describe('ArchiveDashboard', () => {
  const { stacks } = buildEnvironment('sample');
  const widgets = dashboardWidgets(stacks.connect!);

  test('lives in the Connect stack (it owns most of the metrics), one per environment', () => {
    for (const stack of [stacks.archive, stacks.genesys!]) {
      Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    }
    Template.fromStack(stacks.connect!).hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: 'RecordingArchive-sample',
    });
    expect(widgets[0].properties.markdown).toContain('# recording-archive: sample');
  });

  test('shows tagging, queues, integrity findings, CIDR drift and custom-resource failures', () => {
    expect(titles(widgets)).toEqual([
      DASHBOARD_WIDGETS.genesysExports,
      DASHBOARD_WIDGETS.deniedWrites,
      DASHBOARD_WIDGETS.taggingThroughput,
      DASHBOARD_WIDGETS.iteratorAge,
      DASHBOARD_WIDGETS.queueDepths,
      DASHBOARD_WIDGETS.integrityFindings,
      DASHBOARD_WIDGETS.cidrDrift,
      DASHBOARD_WIDGETS.customResourceFailures,
    ]);
  });

  test('Genesys exports per hour and denied writes: S3 request metrics of the recordings prefix', () => {
    const exports = widget(widgets, DASHBOARD_WIDGETS.genesysExports).properties;
    expect(exports.metrics!.map((m) => m.slice(0, 3))).toEqual([['AWS/S3', 'PutRequests', 'BucketName']]);
    expect(exports.metrics![0].slice(4, 6)).toEqual(['FilterId', 'recordings']);
    expect(exports.period).toBe(3600);
    expect(metricNames(widget(widgets, DASHBOARD_WIDGETS.deniedWrites))).toEqual(['AWS/S3/4xxErrors']);
  });

  test('tagging throughput: CTRs in, CTRs read, invocations; iterator age of the tagger', () => {
    expect(metricNames(widget(widgets, DASHBOARD_WIDGETS.taggingThroughput))).toEqual([
      'AWS/Kinesis/IncomingRecords',
      'AWS/Kinesis/GetRecords.Records',
      'AWS/Lambda/Invocations',
    ]);
    const age = widget(widgets, DASHBOARD_WIDGETS.iteratorAge).properties.metrics![0];
    expect(age.slice(0, 3)).toEqual(['AWS/Lambda', 'IteratorAge', 'FunctionName']);
    expect(String(age[3])).toContain('CtrTaggingTagger');
  });

  test('queue depths: the CTR dead-letter queue, the late-recording retry queue and the parked CTRs', () => {
    const queues = widget(widgets, DASHBOARD_WIDGETS.queueDepths).properties.metrics!;
    expect(queues.map((m) => m.slice(0, 3))).toEqual(
      Array(3).fill(['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName']),
    );
    expect(JSON.stringify(queues[0])).toContain('CTR dead letters');
    expect(JSON.stringify(queues[1])).toContain('late recordings (retry queue)');
    expect(JSON.stringify(queues[2])).toContain('parked CTRs');
  });

  test('integrity findings: one series per finding type, from the check in the Genesys stack', () => {
    const findings = widget(widgets, DASHBOARD_WIDGETS.integrityFindings).properties.metrics!;
    expect(findings.map((m) => m[1])).toEqual([...FINDING_TYPES]);
    for (const m of findings)
      expect(m.slice(0, 1).concat(m.slice(2, 6))).toEqual([
        'RecordingArchive/PointerIntegrity',
        'Environment',
        'sample',
        'service',
        'pointer-integrity',
      ]);
  });

  test('CIDR drift and the errors of both custom-resource handlers', () => {
    expect(metricNames(widget(widgets, DASHBOARD_WIDGETS.cidrDrift))).toEqual(['RecordingArchive/Genesys/CidrDrift']);
    const failures = widget(widgets, DASHBOARD_WIDGETS.customResourceFailures).properties.metrics!;
    expect(failures.map((m) => m[1])).toEqual(['Errors', 'Errors', 'Errors', 'Errors']);
    expect(JSON.stringify(failures)).toContain('Genesys export policy');
    const text = JSON.stringify(failures);
    expect(text).toContain('Genesys connection');
    expect(text).toContain('Connect bucket lifecycle');
  });

  test('an environment without Connect puts the dashboard in the Genesys stack, without the tagging widgets', () => {
    const config = configWith('sample', (c) => ({ ...c, connect: undefined }));
    const { stacks: s } = buildEnvironment('sample', {}, config);
    const only = dashboardWidgets(s.genesys!);
    expect(titles(only)).toEqual([
      DASHBOARD_WIDGETS.genesysExports,
      DASHBOARD_WIDGETS.deniedWrites,
      DASHBOARD_WIDGETS.integrityFindings,
      DASHBOARD_WIDGETS.cidrDrift,
      DASHBOARD_WIDGETS.customResourceFailures,
    ]);
  });
});
