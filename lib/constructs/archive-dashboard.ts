import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Titles of the dashboard's widgets (docs/alarms.md explains each one). */
export const DASHBOARD_WIDGETS = {
  genesysExports: 'Genesys exports per hour',
  deniedWrites: 'Denied writes',
  taggingThroughput: 'CTR tagging throughput',
  iteratorAge: 'CTR tagging iterator age',
  queueDepths: 'Retry and dead-letter queue depths',
  integrityFindings: 'Integrity findings by type',
  cidrDrift: 'Genesys CIDR drift',
  customResourceFailures: 'Custom-resource failures',
} as const;

/** A queue shown in the queue-depth widget. */
export interface DashboardQueue {
  /** Legend label, e.g. `CTR dead letters`. */
  readonly label: string;
  readonly queue: sqs.IQueue;
}

/** Props for {@link ArchiveDashboard}: each stack passes the metrics it owns; a widget without metrics is left out. */
export interface ArchiveDashboardProps {
  /** Environment name (the dashboard's name and header). */
  readonly envName: string;
  /**
   * Objects created under the recordings prefix, per hour (S3 request metrics of the archive bucket).
   * @default - no widget
   */
  readonly genesysExports?: cloudwatch.IMetric;
  /**
   * Writes the archive refused (4xx answers to writes under the prefix).
   * @default - no widget
   */
  readonly deniedWrites?: readonly cloudwatch.IMetric[];
  /**
   * CTRs arriving and read by the tagging function, and its invocations.
   * @default - no widget
   */
  readonly taggingThroughput?: readonly cloudwatch.IMetric[];
  /**
   * Age of the oldest CTR the tagging function has not processed.
   * @default - no widget
   */
  readonly iteratorAge?: cloudwatch.IMetric;
  /**
   * Retry and dead-letter queues whose visible messages are shown.
   * @default - no widget
   */
  readonly queues?: readonly DashboardQueue[];
  /**
   * One metric per finding type of the pointer-integrity check.
   * @default - no widget
   */
  readonly integrityFindings?: readonly cloudwatch.IMetric[];
  /**
   * CIDR ranges added to or removed from Genesys's feed compared with the committed list.
   * @default - no widget
   */
  readonly cidrDrift?: cloudwatch.IMetric;
  /**
   * Errors of the custom-resource handlers (a failed create, update or delete).
   * @default - no widget
   */
  readonly customResourceFailures?: readonly cloudwatch.IMetric[];
}

/**
 * The environment's CloudWatch dashboard: exports, denied writes, tagging, queues, integrity
 * findings, CIDR drift and custom-resource failures over the last week, two widgets a row.
 */
export class ArchiveDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ArchiveDashboardProps) {
    super(scope, id);
    const w = DASHBOARD_WIDGETS;
    const graph = (
      title: string,
      left: readonly cloudwatch.IMetric[],
      options: Partial<cloudwatch.GraphWidgetProps> = {},
    ) => new cloudwatch.GraphWidget({ title, left: [...left], width: 12, height: 6, ...options });

    // One widget per concern that has metrics, in the order an operator reads them.
    const widgets: cloudwatch.IWidget[] = [];
    if (props.genesysExports)
      widgets.push(
        graph(w.genesysExports, [props.genesysExports], { period: Duration.hours(1), statistic: cloudwatch.Stats.SUM }),
      );
    if (props.deniedWrites?.length)
      widgets.push(graph(w.deniedWrites, props.deniedWrites, { statistic: cloudwatch.Stats.SUM }));
    if (props.taggingThroughput?.length)
      widgets.push(graph(w.taggingThroughput, props.taggingThroughput, { statistic: cloudwatch.Stats.SUM }));
    if (props.iteratorAge)
      widgets.push(graph(w.iteratorAge, [props.iteratorAge], { leftYAxis: { label: 'ms', showUnits: false } }));
    if (props.queues?.length) {
      widgets.push(
        graph(
          w.queueDepths,
          props.queues.map((q) =>
            q.queue.metricApproximateNumberOfMessagesVisible({ label: q.label, statistic: cloudwatch.Stats.MAXIMUM }),
          ),
        ),
      );
    }
    if (props.integrityFindings?.length)
      widgets.push(graph(w.integrityFindings, props.integrityFindings, { stacked: true }));
    if (props.cidrDrift) widgets.push(graph(w.cidrDrift, [props.cidrDrift]));
    if (props.customResourceFailures?.length)
      widgets.push(graph(w.customResourceFailures, props.customResourceFailures, { statistic: cloudwatch.Stats.SUM }));

    const header = new cloudwatch.TextWidget({
      markdown: `# recording-archive: ${props.envName}\nWhat each widget means and what to do: docs/alarms.md, section "Dashboard".`,
      width: 24,
      height: 2,
    });
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      // Operators look the dashboard up by name; it holds no data, so a name is no replacement hazard.
      dashboardName: `RecordingArchive-${props.envName}`,
      defaultInterval: Duration.days(7),
      widgets: [[header], ...rows(widgets, 2)],
    });
  }
}

function rows<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
