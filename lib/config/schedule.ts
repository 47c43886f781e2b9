/**
 * EventBridge schedule expressions (`rate(...)`, `cron(...)`), checked before CloudFormation sees
 * them: EventBridge's syntax (Scheduler and rules share it): `rate(value unit)`, unit singular for
 * 1 and plural otherwise; `cron(minutes hours day-of-month month day-of-week year)`, one of the two
 * day fields `?`.
 */

/** Why the expression is not a valid schedule, or undefined when it is. */
export function scheduleProblem(expression: string): string | undefined {
  const rate = /^rate\((.*)\)$/.exec(expression);
  if (rate) return rateProblem(rate[1]);
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) return cronProblem(cron[1]);
  return "is neither rate(...) nor cron(...); write e.g. 'rate(1 day)' or 'cron(0 3 ? * SUN *)'";
}

function rateProblem(body: string): string | undefined {
  const m = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(body.trim() === body ? body : '');
  if (!m) return "has no 'value unit' inside rate(); write e.g. 'rate(1 day)', 'rate(12 hours)' or 'rate(30 minutes)'";
  const value = Number(m[1]);
  if (value < 1) return 'has a rate of 0; the value must be 1 or more';
  const singular = !m[2].endsWith('s');
  if (value === 1 && !singular) return `uses the plural unit with 1; write 'rate(1 ${m[2].slice(0, -1)})'`;
  if (value > 1 && singular) return `uses the singular unit with ${value}; write 'rate(${value} ${m[2]}s)'`;
  return undefined;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Extra single tokens or suffixes the field accepts. */
  readonly special: RegExp;
}

const CRON_FIELDS: readonly CronField[] = [
  { name: 'minutes', min: 0, max: 59, special: /^$/ },
  { name: 'hours', min: 0, max: 23, special: /^$/ },
  { name: 'day-of-month', min: 1, max: 31, special: /^(\?|L|LW|\d{1,2}W)$/ },
  { name: 'month', min: 1, max: 12, names: MONTHS, special: /^$/ },
  {
    name: 'day-of-week',
    min: 1,
    max: 7,
    names: DAYS,
    special: /^(\?|L|[1-7]L|[1-7]#[1-5]|(SUN|MON|TUE|WED|THU|FRI|SAT)(L|#[1-5]))$/,
  },
  { name: 'year', min: 1970, max: 2199, special: /^$/ },
];

function cronProblem(body: string): string | undefined {
  const parts = body.split(' ');
  if (parts.length !== 6 || parts.some((p) => p === '')) {
    return `has ${parts.filter(Boolean).length} fields inside cron(); EventBridge needs 6 separated by single spaces (minutes hours day-of-month month day-of-week year), e.g. 'cron(0 3 ? * SUN *)'`;
  }
  for (let i = 0; i < 6; i++) {
    const problem = cronFieldProblem(CRON_FIELDS[i], parts[i].toUpperCase());
    if (problem) return problem;
  }
  const [, , dom, , dow] = parts;
  if ((dom === '?') === (dow === '?')) {
    return "needs '?' in exactly one of day-of-month and day-of-week (EventBridge cannot use both), e.g. 'cron(0 3 ? * SUN *)' or 'cron(0 3 1 * ? *)'";
  }
  return undefined;
}

function cronFieldProblem(field: CronField, text: string): string | undefined {
  const value = (token: string): number | undefined => {
    if (/^\d+$/.test(token)) return Number(token);
    const index = field.names?.indexOf(token) ?? -1;
    return index >= 0 ? index + field.min : undefined;
  };
  const inRange = (token: string) => {
    const v = value(token);
    return v !== undefined && v >= field.min && v <= field.max;
  };
  if (field.special.test(text)) return undefined;
  for (const item of text.split(',')) {
    const [range, step] = item.split('/');
    if (step !== undefined && !/^\d+$/.test(step))
      return `has '${item}' in ${field.name}: the step after '/' must be a number`;
    if (range === '*') continue;
    const bounds = range.split('-');
    if (bounds.length > 2 || !bounds.every(inRange)) {
      return `has '${item}' in ${field.name}, which takes ${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : ''}${field.name.startsWith('day') ? ", '?'" : ''}, '*', ranges, lists and '/' steps`;
    }
  }
  return undefined;
}
