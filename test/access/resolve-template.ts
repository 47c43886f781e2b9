import { createHash } from 'crypto';

/** A synthesized CloudFormation template with the environment it deploys to. */
export interface StackTemplate {
  /** Stack name (the CDK stack id). */
  readonly stackName: string;
  /** Account of the stack's environment. */
  readonly account: string;
  /** Region of the stack's environment. */
  readonly region: string;
  /** The template as synthesized (JSON). */
  readonly template: Record<string, unknown>;
}

/** A template resource after every intrinsic has been replaced by a concrete value. */
export interface ResolvedResource {
  readonly stackName: string;
  readonly logicalId: string;
  readonly type: string;
  /** Properties with intrinsics resolved. */
  readonly properties: Record<string, unknown>;
  /** What `Ref` returns for this resource. */
  readonly ref: string;
  /** The resource's ARN (`Fn::GetAtt [id, Arn]`), where the type has one. */
  readonly arn: string;
}

/** Marks a value the resolver could not compute, so policy checks can refuse it. */
export const UNRESOLVED = '<unresolved>';

const NO_VALUE = Symbol('AWS::NoValue');

/** Narrows an unknown JSON value to a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shortHash(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** Deterministic fake physical identity of one resource, derived from its stack name and logical ID. */
interface PhysicalIdentity {
  readonly ref: string;
  readonly attributes: Record<string, string>;
}

function physicalIdentity(
  stack: StackTemplate,
  logicalId: string,
  type: string,
  literal: (property: string) => string | undefined,
): PhysicalIdentity {
  const { account, region } = stack;
  const generated = `${stack.stackName}-${logicalId}`.slice(0, 64);
  switch (type) {
    case 'AWS::S3::Bucket': {
      const name = literal('BucketName') ?? logicalId.toLowerCase();
      return {
        ref: name,
        attributes: {
          Arn: `arn:aws:s3:::${name}`,
          DomainName: `${name}.s3.amazonaws.com`,
          RegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
        },
      };
    }
    case 'AWS::IAM::Role': {
      const name = literal('RoleName') ?? generated;
      const path = literal('Path') ?? '/';
      return {
        ref: name,
        attributes: {
          Arn: `arn:aws:iam::${account}:role${path}${name}`,
          RoleId: `AROA${shortHash(generated, 17).toUpperCase()}`,
        },
      };
    }
    case 'AWS::IAM::ManagedPolicy': {
      const name = literal('ManagedPolicyName') ?? generated;
      const arn = `arn:aws:iam::${account}:policy${literal('Path') ?? '/'}${name}`;
      return { ref: arn, attributes: { PolicyArn: arn } };
    }
    case 'AWS::KMS::Key': {
      const h = shortHash(`${stack.stackName}/${logicalId}`, 32);
      const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
      return { ref: id, attributes: { Arn: `arn:aws:kms:${region}:${account}:key/${id}`, KeyId: id } };
    }
    case 'AWS::KMS::Alias':
      return { ref: literal('AliasName') ?? `alias/${generated}`, attributes: {} };
    case 'AWS::SNS::Topic': {
      const name = literal('TopicName') ?? generated;
      const arn = `arn:aws:sns:${region}:${account}:${name}`;
      return { ref: arn, attributes: { TopicArn: arn, TopicName: name } };
    }
    case 'AWS::SQS::Queue': {
      const name = literal('QueueName') ?? generated;
      const url = `https://sqs.${region}.amazonaws.com/${account}/${name}`;
      return {
        ref: url,
        attributes: { Arn: `arn:aws:sqs:${region}:${account}:${name}`, QueueName: name, QueueUrl: url },
      };
    }
    case 'AWS::Lambda::Function': {
      const name = literal('FunctionName') ?? generated;
      return { ref: name, attributes: { Arn: `arn:aws:lambda:${region}:${account}:function:${name}` } };
    }
    case 'AWS::Kinesis::Stream': {
      const name = literal('Name') ?? generated;
      return { ref: name, attributes: { Arn: `arn:aws:kinesis:${region}:${account}:stream/${name}` } };
    }
    case 'AWS::Logs::LogGroup': {
      const name = literal('LogGroupName') ?? `/aws/${generated}`;
      return { ref: name, attributes: { Arn: `arn:aws:logs:${region}:${account}:log-group:${name}:*` } };
    }
    case 'AWS::SecretsManager::Secret': {
      const arn = `arn:aws:secretsmanager:${region}:${account}:secret:${literal('Name') ?? generated}-${shortHash(generated, 6)}`;
      return { ref: arn, attributes: { Id: arn } };
    }
    default: {
      const service = (type.split('::')[1] ?? 'unknown').toLowerCase();
      return { ref: generated, attributes: { Arn: `arn:aws:${service}:${region}:${account}:${logicalId}` } };
    }
  }
}

interface StackContext {
  readonly stack: StackTemplate;
  readonly identities: Map<string, PhysicalIdentity>;
  readonly parameters: Record<string, unknown>;
  readonly mappings: Record<string, unknown>;
  readonly conditions: Record<string, unknown>;
  readonly exports: Map<string, unknown>;
  /** Every stack's outputs by `stackName/outputName`, for `Fn::GetStackOutput` (weak cross-stack references). */
  readonly outputs: Map<string, unknown>;
}

function section(template: Record<string, unknown>, name: string): Record<string, unknown> {
  const value = template[name];
  return isRecord(value) ? value : {};
}

function asString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return UNRESOLVED;
}

function pseudo(ctx: StackContext, name: string): unknown {
  switch (name) {
    case 'AWS::AccountId':
      return ctx.stack.account;
    case 'AWS::Region':
      return ctx.stack.region;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return ctx.stack.stackName;
    case 'AWS::StackId':
      return `arn:aws:cloudformation:${ctx.stack.region}:${ctx.stack.account}:stack/${ctx.stack.stackName}/${shortHash(ctx.stack.stackName, 8)}`;
    case 'AWS::NoValue':
      return NO_VALUE;
    default:
      return undefined;
  }
}

function resolveRef(ctx: StackContext, name: string): unknown {
  const fromPseudo = pseudo(ctx, name);
  if (fromPseudo !== undefined) return fromPseudo;
  const identity = ctx.identities.get(name);
  if (identity) return identity.ref;
  const parameter = ctx.parameters[name];
  if (isRecord(parameter) && parameter['Default'] !== undefined) return parameter['Default'];
  return `${UNRESOLVED}Ref:${name}`;
}

function resolveGetAtt(ctx: StackContext, args: unknown): unknown {
  const [logicalId, attribute] = Array.isArray(args) ? args.map(asString) : asString(args).split(/\.(.*)/s);
  const identity = ctx.identities.get(logicalId ?? '');
  const value = identity?.attributes[attribute ?? ''];
  return value ?? `${UNRESOLVED}GetAtt:${logicalId}.${attribute}`;
}

function resolveSub(ctx: StackContext, args: unknown): unknown {
  const [text, variables] = Array.isArray(args) ? [args[0], args[1]] : [args, {}];
  const vars = isRecord(variables) ? variables : {};
  return asString(text).replace(/\$\{(!?)([^}]+)\}/g, (_match, bang: string, name: string) => {
    if (bang) return `\${${name}}`;
    if (name in vars) return asString(resolveValue(ctx, vars[name]));
    if (name.includes('.') && !name.startsWith('AWS::')) {
      const dot = name.indexOf('.');
      return asString(resolveGetAtt(ctx, [name.slice(0, dot), name.slice(dot + 1)]));
    }
    return asString(resolveRef(ctx, name));
  });
}

function evaluateCondition(ctx: StackContext, expression: unknown): boolean {
  const value = resolveValue(ctx, expression);
  return value === true || value === 'true';
}

function resolveIntrinsic(ctx: StackContext, name: string, args: unknown): unknown {
  switch (name) {
    case 'Ref':
      return resolveRef(ctx, asString(args));
    case 'Fn::GetAtt':
      return resolveGetAtt(ctx, args);
    case 'Fn::Join': {
      const [separator, parts] = Array.isArray(args) ? args : [];
      const list = resolveValue(ctx, parts);
      return Array.isArray(list) ? list.map(asString).join(asString(separator)) : UNRESOLVED;
    }
    case 'Fn::Sub':
      return resolveSub(ctx, args);
    case 'Fn::Select': {
      const [index, list] = Array.isArray(args) ? args : [];
      const items = resolveValue(ctx, list);
      return Array.isArray(items) ? items[Number(resolveValue(ctx, index))] : UNRESOLVED;
    }
    case 'Fn::Split': {
      const [separator, text] = Array.isArray(args) ? args : [];
      return asString(resolveValue(ctx, text)).split(asString(separator));
    }
    case 'Fn::ImportValue': {
      const exportName = asString(resolveValue(ctx, args));
      return ctx.exports.has(exportName) ? ctx.exports.get(exportName) : `${UNRESOLVED}Import:${exportName}`;
    }
    case 'Fn::GetStackOutput': {
      const ref = isRecord(args) ? args : {};
      const key = `${asString(resolveValue(ctx, ref['StackName']))}/${asString(resolveValue(ctx, ref['OutputName']))}`;
      return ctx.outputs.has(key) ? ctx.outputs.get(key) : `${UNRESOLVED}GetStackOutput:${key}`;
    }
    case 'Fn::FindInMap': {
      const [map, top, second] = Array.isArray(args) ? args.map((a) => asString(resolveValue(ctx, a))) : [];
      const level1 = section(ctx.mappings, map ?? '')[top ?? ''];
      return isRecord(level1) ? level1[second ?? ''] : UNRESOLVED;
    }
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = Array.isArray(args) ? args : [];
      return resolveValue(ctx, evaluateCondition(ctx, ctx.conditions[asString(condition)]) ? whenTrue : whenFalse);
    }
    case 'Condition':
      return evaluateCondition(ctx, ctx.conditions[asString(args)]);
    case 'Fn::Equals': {
      const [a, b] = Array.isArray(args) ? args.map((x) => resolveValue(ctx, x)) : [];
      return JSON.stringify(a) === JSON.stringify(b);
    }
    case 'Fn::Not':
      return Array.isArray(args) ? !evaluateCondition(ctx, args[0]) : UNRESOLVED;
    case 'Fn::And':
      return Array.isArray(args) ? args.every((a) => evaluateCondition(ctx, a)) : UNRESOLVED;
    case 'Fn::Or':
      return Array.isArray(args) ? args.some((a) => evaluateCondition(ctx, a)) : UNRESOLVED;
    case 'Fn::Contains': {
      const [list, item] = Array.isArray(args) ? args.map((x) => resolveValue(ctx, x)) : [];
      return Array.isArray(list) && list.some((x) => JSON.stringify(x) === JSON.stringify(item));
    }
    case 'Fn::Base64':
      return Buffer.from(asString(resolveValue(ctx, args))).toString('base64');
    case 'Fn::GetAZs':
      return ['a', 'b', 'c'].map((zone) => `${ctx.stack.region}${zone}`);
    default:
      return `${UNRESOLVED}${name}`;
  }
}

function resolveValue(ctx: StackContext, value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => resolveValue(ctx, item)).filter((item) => item !== NO_VALUE);
  }
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')) {
    return resolveIntrinsic(ctx, keys[0], value[keys[0]]);
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const resolved = resolveValue(ctx, item);
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

function stackContext(
  stack: StackTemplate,
  exports: Map<string, unknown>,
  outputs: Map<string, unknown>,
): StackContext {
  const resources = section(stack.template, 'Resources');
  const identities = new Map<string, PhysicalIdentity>();
  const ctx: StackContext = {
    stack,
    identities,
    parameters: section(stack.template, 'Parameters'),
    mappings: section(stack.template, 'Mappings'),
    conditions: section(stack.template, 'Conditions'),
    exports,
    outputs,
  };
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isRecord(resource)) continue;
    const properties = isRecord(resource['Properties']) ? resource['Properties'] : {};
    // Only literal names count here: a name built from other resources would need them resolved first.
    const literal = (property: string) => (typeof properties[property] === 'string' ? properties[property] : undefined);
    identities.set(logicalId, physicalIdentity(stack, logicalId, asString(resource['Type']), literal));
  }
  return ctx;
}

/**
 * Resolves every resource of every stack of one environment: `Ref`, `Fn::GetAtt`, `Fn::Join`,
 * `Fn::Sub`, `Fn::ImportValue` and `Fn::GetStackOutput` (across the given stacks) and the other
 * intrinsics become concrete values, with deterministic fake physical names derived from stack
 * names and logical IDs.
 */
export function resolveStacks(stacks: readonly StackTemplate[]): ResolvedResource[] {
  const exports = new Map<string, unknown>();
  const outputs = new Map<string, unknown>();
  const contexts = stacks.map((stack) => stackContext(stack, exports, outputs));
  // Outputs first: they only refer to their own stack's resources, so one pass resolves them.
  for (const ctx of contexts) {
    for (const [name, output] of Object.entries(section(ctx.stack.template, 'Outputs'))) {
      if (!isRecord(output)) continue;
      const value = resolveValue(ctx, output['Value']);
      outputs.set(`${ctx.stack.stackName}/${name}`, value);
      if (isRecord(output['Export'])) exports.set(asString(resolveValue(ctx, output['Export']['Name'])), value);
    }
  }
  return contexts.flatMap((ctx) =>
    Object.entries(section(ctx.stack.template, 'Resources')).flatMap(([logicalId, resource]) => {
      if (!isRecord(resource)) return [];
      const identity = ctx.identities.get(logicalId)!;
      const properties = resolveValue(ctx, resource['Properties'] ?? {});
      return [
        {
          stackName: ctx.stack.stackName,
          logicalId,
          type: asString(resource['Type']),
          properties: isRecord(properties) ? properties : {},
          ref: identity.ref,
          arn:
            identity.attributes['Arn'] ??
            identity.attributes['PolicyArn'] ??
            identity.attributes['TopicArn'] ??
            identity.ref,
        },
      ];
    }),
  );
}

/** True when a resolved value still holds a piece the resolver could not compute. */
export function containsUnresolved(value: unknown): boolean {
  return JSON.stringify(value).includes(UNRESOLVED);
}
