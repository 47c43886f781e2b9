import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { lifecycleCostWarnings, loadConfig } from '../../lib/config';
import { buildEnvironment, configWith, ENVIRONMENT_NAMES } from '../support/app';

describe('early-deletion cost warnings', () => {
  test.each(ENVIRONMENT_NAMES)('the committed environment %s pays no early-deletion charge', (envName) => {
    expect(lifecycleCostWarnings(loadConfig(envName))).toEqual([]);
  });

  test('a class that expires 10 days after the GLACIER transition is named with the fix', () => {
    const config = configWith('sample', (c) => ({
      ...c,
      retention: { classes: { short: 30, medium: 100 }, defaultClass: 'medium' },
    }));
    expect(lifecycleCostWarnings(config)).toEqual([
      `Environment "sample", field "retention.classes.medium": recordings of this class move to GLACIER on day 90 and expire on day 100, 80 days before GLACIER's 90-day minimum, which S3 bills as early deletion; move the class to day 90 or at least 180, or accept the charge.`,
    ]);
  });

  test('a class that expires inside STANDARD_IA and one inside DEEP_ARCHIVE are both named', () => {
    const config = configWith('sample', (c) => ({
      ...c,
      retention: { classes: { short: 30, month: 45, year: 300 }, defaultClass: 'year' },
    }));
    const warnings = lifecycleCostWarnings(config);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain(
      '"retention.classes.month": recordings of this class move to STANDARD_IA on day 30 and expire on day 45, 15 days before',
    );
    expect(warnings[1]).toContain(
      '"retention.classes.year": recordings of this class move to DEEP_ARCHIVE on day 180 and expire on day 300, 60 days before',
    );
  });

  test('the warning reaches cdk synth as an annotation on the recording bucket', () => {
    const config = configWith('sample', (c) => ({
      ...c,
      retention: { classes: { short: 30, medium: 100 }, defaultClass: 'medium' },
    }));
    const { stacks } = buildEnvironment('sample', {}, config);
    Annotations.fromStack(stacks.archive).hasWarning(
      '/RecordingArchive-sample-Archive/RecordingBucket',
      Match.stringLikeRegexp('GLACIER on day 90 and expire on day 100'),
    );
  });
});
