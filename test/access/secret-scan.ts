import { isRecord } from './resolve-template';

/** One suspected secret in a template. */
export interface SecretFinding {
  /** JSON path of the value, e.g. `Resources.Fn.Properties.Environment.Variables.CLIENT_SECRET`. */
  readonly path: string;
  /** Which rule matched. */
  readonly rule: string;
}

/** Secrets recognized by their shape, wherever they appear. */
const VALUE_RULES: readonly { readonly rule: string; readonly pattern: RegExp }[] = [
  { rule: 'AWS access key id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/ },
  { rule: 'private key (PEM)', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { rule: 'bearer token', pattern: /\bBearer\s+[A-Za-z0-9\-._~+/]{16,}=*/i },
  { rule: 'JSON web token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { rule: 'GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { rule: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { rule: 'credentials in a URL', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/:@]{3,}@/i },
];

/**
 * Property names that hold a secret value (compared without `_`, `-` and case), e.g. `clientSecret`,
 * `GENESYS_CLIENT_SECRET`, `password`, `secretAccessKey`. Names ending in Arn, Name, Id do not match.
 */
const SECRET_NAME =
  /(?:clientsecret|password|passwd|passphrase|secretaccesskey|secretkey|apikey|accesstoken|authtoken|refreshtoken|privatekey|bearertoken|token)$/;

/** References that name a secret without holding it. */
const REFERENCE = /^\{\{resolve:(?:secretsmanager|ssm|ssm-secure):[^}]+\}\}$/;

/** Literal values a secret-named property may carry without holding a secret. */
function isHarmless(value: string): boolean {
  const v = value.trim();
  return v === '' || REFERENCE.test(v) || /^arn:aws[\w-]*:/.test(v) || /^\$\{[^}]+\}$/.test(v);
}

function normalizedName(name: string): string {
  return name.replace(/[_\-\s.]/g, '').toLowerCase();
}

/** Secret-named keys inside a string that is itself JSON (custom resource payloads, state machines). */
function embeddedFindings(text: string, path: string): SecretFinding[] {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return [];
  try {
    return scanValue(JSON.parse(trimmed) as unknown, `${path}(json)`);
  } catch {
    return [];
  }
}

function scanValue(value: unknown, path: string, key?: string): SecretFinding[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => scanValue(item, `${path}[${i}]`, key));
  if (isRecord(value)) {
    // `Value`/`Default` take their name from a `{Name|Key: ..., Value: ...}` pair (ECS, CodeBuild, tags)
    // or from the enclosing property (template parameters such as `DbPassword: {Default: ...}`).
    const pairName =
      typeof value['Name'] === 'string' ? value['Name'] : typeof value['Key'] === 'string' ? value['Key'] : undefined;
    return Object.entries(value).flatMap(([k, v]) =>
      scanValue(v, path === '' ? k : `${path}.${k}`, k === 'Value' || k === 'Default' ? (pairName ?? key ?? k) : k),
    );
  }
  if (typeof value !== 'string') return [];
  const findings: SecretFinding[] = VALUE_RULES.filter((r) => r.pattern.test(value)).map((r) => ({
    path,
    rule: r.rule,
  }));
  if (key !== undefined && SECRET_NAME.test(normalizedName(key)) && !isHarmless(value)) {
    findings.push({ path, rule: `literal value of secret-named property ${key}` });
  }
  return [...findings, ...embeddedFindings(value, path)];
}

/**
 * Every value of a synthesized template that looks like a secret: AWS access keys, PEM private
 * keys, bearer tokens, JWTs, GitHub/Slack tokens, credentials in URLs, and literal strings under
 * secret-named properties (`clientSecret`, `password`, `token`, ...) that are not a
 * `{{resolve:secretsmanager:...}}` reference or an ARN. Secrets belong in Secrets Manager,
 * referenced by ARN or name.
 */
export function findSecrets(template: unknown): SecretFinding[] {
  return scanValue(template, '');
}
