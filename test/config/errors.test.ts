/* eslint-disable @typescript-eslint/no-explicit-any -- these tests write deliberately wrong shapes (typos, wrong types) into a copy of the config */
import { checkConfig, ConfigError, ConfigErrors, EnvironmentConfigInput, resolveConfig } from '../../lib/config';
import { scheduleProblem } from '../../lib/config/schedule';
import { ENVIRONMENTS } from '../../lib/config';

/** A committed environment that has the Genesys integration (schedules) and Connect, changed by `change`. */
const envName = Object.keys(ENVIRONMENTS).find((n) => ENVIRONMENTS[n].genesysIntegration && ENVIRONMENTS[n].connect)!;

function changed(change: (c: Record<string, any>) => void): EnvironmentConfigInput {
  const copy = structuredClone(ENVIRONMENTS[envName]) as Record<string, any>;
  change(copy);
  return copy as EnvironmentConfigInput;
}

/** The messages of every problem found, in order. */
function problems(change: (c: Record<string, any>) => void): string[] {
  return checkConfig(envName, changed(change)).errors.map((e) => e.message);
}

const ts = `lib/config/environments/${envName}.ts`;
const cidrJson = `lib/config/environments/${envName}.genesys-cidrs.json`;
const E = `Environment "${envName}"`;

test('the unchanged environment has no problem', () => {
  expect(
    checkConfig(
      envName,
      changed(() => undefined),
    ).errors,
  ).toEqual([]);
});

describe('unknown fields are named with the field they probably misspell', () => {
  test('at the root', () => {
    expect(problems((c) => (c.recordingPrefix = c.recordingsPrefix))).toEqual([
      `${E}, field "recordingPrefix": unknown field \`recordingPrefix\`; did you mean \`recordingsPrefix\`? Rename it in ${ts}.`,
    ]);
  });

  test('nested, where the misspelt field is required: one problem, not also "missing"', () => {
    expect(
      problems((c) => {
        c.objectLock = { mode: c.objectLock.mode, defaultRetentionDay: c.objectLock.defaultRetentionDays };
      }),
    ).toEqual([
      `${E}, field "objectLock.defaultRetentionDay": unknown field \`defaultRetentionDay\`; did you mean \`defaultRetentionDays\`? Rename it in ${ts}.`,
    ]);
  });

  test('with no close field, the fields of that object are listed', () => {
    expect(problems((c) => (c.notifications = { emails: [], pager: 'x' }))).toEqual([
      `${E}, field "notifications.pager": unknown field \`pager\`; remove it from ${ts} (the fields here are \`emails\`).`,
    ]);
  });
});

describe('fields under genesys.allowedCidrs live in the CIDR JSON, and say so', () => {
  test('a malformed CIDR names its index and the JSON file', () => {
    expect(
      problems(
        (c) => (c.genesys.allowedCidrs = { ...c.genesys.allowedCidrs, cidrs: ['203.0.113.0/24', '10.0.0.300/8'] }),
      ),
    ).toEqual([
      `${E}, field "genesys.allowedCidrs.cidrs[1]": '10.0.0.300/8' must be a CIDR block such as 203.0.113.0/24; fix it in ${cidrJson}.`,
    ]);
  });

  test('a misspelt key of the JSON file', () => {
    expect(
      problems((c) => {
        const { services, ...rest } = c.genesys.allowedCidrs;
        c.genesys.allowedCidrs = { ...rest, service: services };
      }),
    ).toEqual([
      `${E}, field "genesys.allowedCidrs.service": unknown field \`service\`; did you mean \`services\`? Rename it in ${cidrJson}.`,
    ]);
  });
});

describe('regions are checked against the committed list', () => {
  test('a misspelt archive region', () => {
    expect(problems((c) => (c.region = 'eu-wset-1'))).toEqual([
      `${E}, field "region": 'eu-wset-1' is not an AWS region; did you mean 'eu-west-1'? Fix it in ${ts}.`,
    ]);
  });

  test('a misspelt Genesys region (which failed later with a stack trace before)', () => {
    expect(problems((c) => (c.genesys.region = 'eu-wset-1'))).toEqual([
      `${E}, field "genesys.region": 'eu-wset-1' is not a Genesys Cloud region; did you mean 'eu-west-1'? Fix it in ${ts}.`,
    ]);
  });

  test('an AWS region where Genesys Cloud has no organizations', () => {
    const [message] = problems((c) => {
      c.region = 'ap-southeast-7';
      c.genesys.region = 'ap-southeast-7';
    });
    expect(message).toBe(
      `${E}, field "genesys.region": 'ap-southeast-7' is not a region Genesys Cloud hosts organizations in; use the AWS region of your Genesys organization, one of us-east-1, us-east-2, us-west-2, ca-central-1, sa-east-1, eu-west-1, eu-west-2, eu-central-1, eu-central-2, ap-southeast-2, ap-northeast-1, ap-northeast-2, ap-northeast-3, ap-south-1, ap-southeast-1, me-central-1, mx-central-1; fix it in ${ts}.`,
    );
  });

  test.each(['us-gov-west-1', 'cn-northwest-1', 'mx-central-1', 'ca-west-1', 'ap-southeast-5'])(
    '%s is accepted as a replica region',
    (region) => {
      expect(
        problems((c) => {
          c.replication = {
            region,
            existingBucketArn: 'arn:aws:s3:::replica-bucket',
            existingKmsKeyArn: `arn:aws:kms:${region}:111111111111:key/1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b`,
          };
        }),
      ).toEqual([]);
    },
  );
});

describe('schedule expressions are reported as their config field', () => {
  test('the integrity check and the drift check, both in one run', () => {
    expect(
      problems((c) => {
        c.genesysIntegration.integrityCheck = { schedule: 'cron(0 3 * * SUN *)' };
        c.genesysIntegration.ipRangesDriftSchedule = 'rate(1 days)';
      }),
    ).toEqual([
      `${E}, field "genesysIntegration.ipRangesDriftSchedule": 'rate(1 days)' uses the plural unit with 1; write 'rate(1 day)'; fix it in ${ts}.`,
      `${E}, field "genesysIntegration.integrityCheck.schedule": 'cron(0 3 * * SUN *)' needs '?' in exactly one of day-of-month and day-of-week (EventBridge cannot use both), e.g. 'cron(0 3 ? * SUN *)' or 'cron(0 3 1 * ? *)'; fix it in ${ts}.`,
    ]);
  });

  test.each([
    ['rate(1 day)', undefined],
    ['rate(12 hours)', undefined],
    ['cron(0 3 ? * SUN *)', undefined],
    ['cron(0/15 8-17 ? * MON-FRI *)', undefined],
    ['cron(0 10 ? * 6L 2026-2030)', undefined],
    ['cron(15 10 ? * 6#3 *)', undefined],
    ['cron(0 12 L * ? *)', undefined],
    ['rate(5 minute)', "uses the singular unit with 5; write 'rate(5 minutes)'"],
    ['rate(0 minutes)', 'has a rate of 0; the value must be 1 or more'],
    [
      'rate(1 week)',
      "has no 'value unit' inside rate(); write e.g. 'rate(1 day)', 'rate(12 hours)' or 'rate(30 minutes)'",
    ],
    [
      'cron(0 3 ? * SUN)',
      "has 5 fields inside cron(); EventBridge needs 6 separated by single spaces (minutes hours day-of-month month day-of-week year), e.g. 'cron(0 3 ? * SUN *)'",
    ],
    ['cron(0 25 ? * SUN *)', "has '25' in hours, which takes 0-23, '*', ranges, lists and '/' steps"],
    [
      'cron(0 3 ? * SAN *)',
      "has 'SAN' in day-of-week, which takes 1-7 or SUN-SAT, '?', '*', ranges, lists and '/' steps",
    ],
    ['0 3 * * 0', "is neither rate(...) nor cron(...); write e.g. 'rate(1 day)' or 'cron(0 3 ? * SUN *)'"],
  ])('%s', (expression, problem) => {
    expect(scheduleProblem(expression)).toBe(problem);
  });
});

describe('other schema problems show the bad value and the fix', () => {
  test('a required field is missing', () => {
    expect(problems((c) => delete c.account)).toEqual([
      `${E}, field "account": is required but missing; add it (a string) to ${ts}.`,
    ]);
  });

  test('a value of the wrong type', () => {
    expect(problems((c) => (c.accessLogRetentionDays = '365'))).toEqual([
      `${E}, field "accessLogRetentionDays": '365' must be a number; fix it in ${ts}.`,
    ]);
  });

  test('a misspelt choice', () => {
    expect(problems((c) => (c.objectLock.mode = 'GOVERNANC'))).toEqual([
      `${E}, field "objectLock.mode": 'GOVERNANC' must be one of 'GOVERNANCE', 'COMPLIANCE'; did you mean 'GOVERNANCE'? Fix it in ${ts}.`,
    ]);
  });
});

describe('every problem in one run', () => {
  const many = (c: Record<string, any>) => {
    c.region = 'eu-wset-1';
    c.notifications = { email: [] };
    c.genesys.storageMode = 'PRIMARY';
    c.lifecycle = { glacierDays: 40 };
  };

  test('schema problems and trap refusals together, the refusals word for word as when alone', () => {
    const alone = (change: (c: Record<string, any>) => void) => problems(change)[0];
    expect(problems(many)).toEqual([
      `${E}, field "region": 'eu-wset-1' is not an AWS region; did you mean 'eu-west-1'? Fix it in ${ts}.`,
      `${E}, field "notifications.email": unknown field \`email\`; did you mean \`emails\`? Rename it in ${ts}.`,
      alone((c) => (c.genesys.storageMode = 'PRIMARY')),
      alone((c) => (c.lifecycle = { glacierDays: 40 })),
    ]);
    expect(alone((c) => (c.lifecycle = { glacierDays: 40 }))).toBe(
      `${E}, field "lifecycle.glacierDays": 40 days is refused because S3 needs 30 days in STANDARD_IA before GLACIER (L3); set it to at least 60.`,
    );
  });

  test('resolveConfig throws them as one list that names each file', () => {
    let thrown: unknown;
    try {
      resolveConfig(envName, changed(many));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ConfigErrors);
    expect((thrown as ConfigErrors).errors.map((e) => e.file)).toEqual([ts, ts, ts, ts]);
    expect((thrown as Error).message).toBe(
      [
        `The configuration of environment "${envName}" has 4 errors; fix them and synthesize again:`,
        `  1. ${E}, field "region": 'eu-wset-1' is not an AWS region; did you mean 'eu-west-1'? Fix it in ${ts}.`,
        `  2. ${E}, field "notifications.email": unknown field \`email\`; did you mean \`emails\`? Rename it in ${ts}.`,
        `  3. ${E}, field "genesys.storageMode": 'PRIMARY' is refused because only DUAL keeps Genesys's native copy while the archive receives its own, and a mode that deletes the native copy loses the recording if an export fails (T2); set storageMode to 'DUAL' or remove it. (in ${ts})`,
        `  4. ${E}, field "lifecycle.glacierDays": 40 days is refused because S3 needs 30 days in STANDARD_IA before GLACIER (L3); set it to at least 60. (in ${ts})`,
      ].join('\n'),
    );
  });

  test('one problem is thrown as itself', () => {
    expect(() =>
      resolveConfig(
        envName,
        changed((c) => (c.region = 'eu-wset-1')),
      ),
    ).toThrow(ConfigError);
  });
});
