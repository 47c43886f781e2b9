import * as z from '../zod';
import {
  callDeadline,
  DEFAULT_RETRY_POLICY,
  fitsDeadline,
  isRetryableCreateStatus,
  isRetryableStatus,
  parseRetryAfter,
  retryDelayMs,
  UNREACHABLE_CODES,
  RetryPolicy,
} from './retry';
import { modelSchema } from './sdk-model';
import {
  ConfigSchemaKind,
  CreateIntegrationBody,
  CredentialBody,
  ExecuteJobBody,
  INTENDED_STATE,
  IntendedStateBody,
  JOB_ACTION_EXPORT,
  JOB_STATE,
  Models,
  OAUTH,
  PATHS,
  PolicyBody,
  RECORDING_JOBS_QUERY,
  RECORDING_POLICIES_QUERY,
  RECORDING_POLICY_PATHS,
  RecordingJobBody,
  ROLE_ARN_CREDENTIAL,
  S3_BULK_ACTIONS_TYPE_ID,
} from './wire';

/** OAuth client of the Genesys organization (client-credentials grant). */
export interface GenesysCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Where the client talks to and how it waits; everything but the URLs has a default. */
export interface GenesysClientOptions {
  /** `https://login.{domain}` (a loopback URL in tests). */
  readonly loginBaseUrl: string;
  /** `https://api.{domain}` (a loopback URL in tests). */
  readonly apiBaseUrl: string;
  /** Needed for every call except the unauthenticated ones (ipranges). */
  readonly credentials?: GenesysCredentials;
  /** Names where the credentials came from (e.g. `secret 'x'`), so an auth failure points at the fix. */
  readonly credentialsSource?: string;
  readonly retry?: Partial<RetryPolicy>;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
}

/** Options of one call. */
export interface GenesysRequestOptions {
  readonly query?: Readonly<Record<string, string | number>>;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** @default true */
  readonly auth?: boolean;
  /**
   * Whether sending the call twice is harmless, so it may be retried after a 5xx or a timeout.
   * @default - true, except for a POST that is not a query (path ending in `/query`): a POST creates
   */
  readonly idempotent?: boolean;
}

/** A call Genesys answered with an error (or not at all): status, Genesys's code and message; never a credential. */
export class GenesysApiError extends Error {
  constructor(
    /** `METHOD path` of the failed call. */
    readonly request: string,
    /** HTTP status, or 0 when Genesys did not answer. */
    readonly status: number,
    /** Genesys's error code (`code`, or `error` on the login host). */
    readonly code: string,
    /** Genesys's error message. */
    readonly genesysMessage: string,
    options?: { readonly cause?: unknown },
  ) {
    super(`Genesys answered ${request} with ${status} ${code}: ${genesysMessage}`, options);
    this.name = 'GenesysApiError';
  }
}

const listOf = <T extends z.core.$ZodType>(entity: T) =>
  z.looseObject({ entities: z._default(z.array(entity), []), pageCount: z.optional(z.number()) });

/** An integration (SDK model Integration). */
export const IntegrationSchema = modelSchema<Models.Integration>()(
  z.looseObject({
    id: z.string(),
    name: z.optional(z.string()),
    integrationType: z.optional(modelSchema<Models.IntegrationType>()(z.looseObject({ id: z.string() }))),
    intendedState: z.optional(z.string()),
    reportedState: z.optional(
      modelSchema<Models.IntegrationStatusInfo>()(
        z.looseObject({
          code: z.optional(z.string()),
          effective: z.optional(z.string()),
          detail: z.optional(modelSchema<Models.MessageInfo>()(z.looseObject({ message: z.optional(z.string()) }))),
        }),
      ),
    ),
  }),
);
export type Integration = z.infer<typeof IntegrationSchema>;

/** The current configuration of an integration (SDK model IntegrationConfiguration). */
export const IntegrationConfigSchema = modelSchema<Models.IntegrationConfiguration>()(
  z.looseObject({
    name: z.optional(z.string()),
    version: z.number(),
    properties: z._default(z.record(z.string(), z.unknown()), {}),
    advanced: z._default(z.record(z.string(), z.unknown()), {}),
    notes: z.optional(z.string()),
    credentials: z._default(
      z.record(z.string(), modelSchema<Models.CredentialInfo>()(z.looseObject({ id: z.string() }))),
      {},
    ),
  }),
);
export type IntegrationConfig = z.infer<typeof IntegrationConfigSchema>;

/** A JSON Schema as Genesys serves it for an integration type's configuration. */
export const ConfigSchemaSchema = modelSchema<Models.JsonSchemaDocument>()(
  z.looseObject({
    properties: z._default(z.record(z.string(), z.unknown()), {}),
    required: z._default(z.array(z.string()), []),
  }),
);
export type ConfigSchema = z.infer<typeof ConfigSchemaSchema>;

/** An integration type; `credentials` maps a credential key to the credential types it accepts. */
export const IntegrationTypeSchema = modelSchema<Models.IntegrationType>()(
  z.looseObject({
    id: z.string(),
    credentials: z._default(
      z.record(
        z.string(),
        modelSchema<Models.CredentialSpecification>()(
          z.looseObject({ required: z.optional(z.boolean()), credentialTypes: z._default(z.array(z.string()), []) }),
        ),
      ),
      {},
    ),
  }),
);
export type IntegrationType = z.infer<typeof IntegrationTypeSchema>;

/** A credential as listed (its fields are never returned). */
export const CredentialInfoSchema = modelSchema<Models.CredentialInfo>()(
  z.looseObject({ id: z.string(), name: z.optional(z.string()) }),
);
export type CredentialInfo = z.infer<typeof CredentialInfoSchema>;

/** One entry of `GET /api/v2/ipranges`. */
export const IpRangeSchema = modelSchema<Models.IpAddressRange>()(
  z.looseObject({ cidr: z.string(), service: z.string(), region: z.optional(z.string()) }),
);
export type IpRange = z.infer<typeof IpRangeSchema>;

/** A media retention policy as the app reads it (SDK model Policy). */
export const PolicySchema = modelSchema<Models.Policy>()(
  z.looseObject({
    id: z.string(),
    name: z.string(),
    enabled: z.optional(z.boolean()),
    actions: z.optional(z.unknown()),
    mediaPolicies: z.optional(z.unknown()),
  }),
);
export type Policy = z.infer<typeof PolicySchema>;

/** A recording bulk job (SDK model RecordingJob). */
export const RecordingJobSchema = modelSchema<Models.RecordingJob>()(
  z.looseObject({
    id: z.string(),
    state: z.string(),
    recordingJobsQuery: z.optional(
      modelSchema<Models.RecordingJobsQuery>()(
        z.looseObject({
          action: z.optional(z.string()),
          integrationId: z.optional(z.string()),
          conversationQuery: z.optional(
            modelSchema<Models.AsyncConversationQuery>()(z.looseObject({ interval: z.optional(z.string()) })),
          ),
        }),
      ),
    ),
    totalConversations: z.optional(z.number()),
    totalRecordings: z.optional(z.number()),
    totalProcessedRecordings: z.optional(z.number()),
    totalSkippedRecordings: z.optional(z.number()),
    totalFailedRecordings: z.optional(z.number()),
    percentProgress: z.optional(z.number()),
    errorMessage: z.optional(z.string()),
  }),
);
export type RecordingJob = z.infer<typeof RecordingJobSchema>;

/** One recording a job could not process (SDK model RecordingJobFailedRecording). */
export const FailedRecordingSchema = modelSchema<Models.RecordingJobFailedRecording>()(
  z.looseObject({
    conversation: z.optional(modelSchema<Models.AddressableEntityRef>()(z.looseObject({ id: z.optional(z.string()) }))),
    recording: z.optional(modelSchema<Models.AddressableEntityRef>()(z.looseObject({ id: z.optional(z.string()) }))),
  }),
);
export type FailedRecording = z.infer<typeof FailedRecordingSchema>;

const TokenSchema = z.looseObject({
  access_token: z.string().check(z.minLength(1)),
  expires_in: z.optional(z.number()),
});
const ErrorBodySchema = z.looseObject({
  code: z.optional(z.string()),
  error: z.optional(z.string()),
  message: z.optional(z.string()),
  error_description: z.optional(z.string()),
  description: z.optional(z.string()),
});

const MAX_PAGES = 50;
const PAGE_SIZE = 100;

/**
 * Genesys Cloud Platform API client: OAuth client-credentials tokens, JSON calls validated by a
 * schema, retries on 429 (honoring `Retry-After`), 5xx and timeouts with jittered backoff inside
 * a total time budget; a POST that creates is retried only on 429, so it never creates twice.
 * `request` is generic; the typed helpers cover the Integrations API.
 */
export class GenesysClient {
  private readonly policy: RetryPolicy;
  private readonly doFetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly createdAt: number;
  private token?: { readonly value: string; readonly expiresAt: number };

  constructor(private readonly options: GenesysClientOptions) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.doFetch = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.createdAt = this.now();
  }

  /** Calls the API and parses the JSON answer with `schema`; throws {@link GenesysApiError} on any failure. */
  async request<T>(
    method: string,
    path: string,
    schema: z.core.$ZodType<T>,
    options: GenesysRequestOptions = {},
  ): Promise<T> {
    const label = `${method} ${path}`;
    const url = new URL(path, this.options.apiBaseUrl);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';

    const idempotent = options.idempotent ?? isIdempotent(method, path);
    let refreshedToken = false;
    for (;;) {
      if (options.auth ?? true) headers.authorization = `Bearer ${await this.accessToken()}`;
      const response = await this.send(
        label,
        url.toString(),
        { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) },
        idempotent,
      );
      // An expired or revoked token earns one fresh token, then the 401 stands.
      if (response.status === 401 && (options.auth ?? true) && !refreshedToken) {
        this.token = undefined;
        refreshedToken = true;
        continue;
      }
      return parseAnswer(label, response, schema);
    }
  }

  /** Like {@link request}, but a 404 answers undefined. */
  async find<T>(
    method: string,
    path: string,
    schema: z.core.$ZodType<T>,
    options: GenesysRequestOptions = {},
  ): Promise<T | undefined> {
    try {
      return await this.request(method, path, schema, options);
    } catch (error) {
      if (error instanceof GenesysApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  /**
   * Every entity of a paged list (`pageNumber` from 1 until `pageCount`). A list longer than
   * {@link MAX_PAGES} pages fails rather than answer part of it, since a lookup by name in a partial
   * list would miss an existing entry and create a duplicate.
   */
  async listAll<T>(path: string, entity: z.core.$ZodType<T>): Promise<T[]> {
    return this.listAllWith(path, entity, {});
  }

  private async listAllWith<T>(
    path: string,
    entity: z.core.$ZodType<T>,
    query: Readonly<Record<string, string>>,
  ): Promise<T[]> {
    const all: T[] = [];
    for (let pageNumber = 1; ; pageNumber++) {
      const page = await this.request('GET', path, listOf(entity), {
        query: { ...query, pageSize: PAGE_SIZE, pageNumber },
      });
      const pageCount = page.pageCount ?? 1;
      if (pageCount > MAX_PAGES) {
        throw new Error(
          `Genesys lists ${pageCount} pages of ${PAGE_SIZE} at GET ${path}, more than the ${MAX_PAGES} this app reads, so a lookup by name could miss an existing entry; delete unused entries in Genesys or raise MAX_PAGES in lambda/shared/genesys/client.ts.`,
        );
      }
      all.push(...page.entities);
      if (page.entities.length === 0 || pageNumber >= pageCount) return all;
    }
  }

  /** `GET /api/v2/ipranges` (no authentication). */
  async ipRanges(): Promise<IpRange[]> {
    const answer = await this.request('GET', PATHS.ipRanges, listOf(IpRangeSchema), { auth: false });
    return answer.entities;
  }

  /** The integration type (its accepted credentials). */
  integrationType(typeId: string = S3_BULK_ACTIONS_TYPE_ID): Promise<IntegrationType> {
    return this.request('GET', PATHS.integrationType(typeId), IntegrationTypeSchema);
  }

  /** One of the type's configuration schemas. */
  configSchema(kind: ConfigSchemaKind, typeId: string = S3_BULK_ACTIONS_TYPE_ID): Promise<ConfigSchema> {
    return this.request('GET', PATHS.configSchema(typeId, kind), ConfigSchemaSchema);
  }

  getIntegration(id: string): Promise<Integration | undefined> {
    return this.find('GET', PATHS.integration(id), IntegrationSchema);
  }

  listIntegrations(): Promise<Integration[]> {
    return this.listAll(PATHS.integrations, IntegrationSchema);
  }

  createIntegration(name: string, typeId: string = S3_BULK_ACTIONS_TYPE_ID): Promise<Integration> {
    const body: CreateIntegrationBody = { name, integrationType: { id: typeId } };
    return this.request('POST', PATHS.integrations, IntegrationSchema, { body });
  }

  getIntegrationConfig(id: string): Promise<IntegrationConfig | undefined> {
    return this.find('GET', PATHS.integrationConfig(id), IntegrationConfigSchema);
  }

  putIntegrationConfig(id: string, config: IntegrationConfig): Promise<IntegrationConfig> {
    return this.request('PUT', PATHS.integrationConfig(id), IntegrationConfigSchema, { body: config });
  }

  /** Sets `intendedState` (ENABLED or DISABLED); undefined when the integration is gone. */
  setIntendedState(
    id: string,
    state: (typeof INTENDED_STATE)[keyof typeof INTENDED_STATE],
  ): Promise<Integration | undefined> {
    const body: IntendedStateBody = { intendedState: state };
    return this.find('PATCH', PATHS.integration(id), IntegrationSchema, { body });
  }

  /** Deletes the integration; false when it was already gone. */
  async deleteIntegration(id: string): Promise<boolean> {
    return (await this.find('DELETE', PATHS.integration(id), z.unknown())) !== undefined;
  }

  listCredentials(): Promise<CredentialInfo[]> {
    return this.listAll(PATHS.credentials, CredentialInfoSchema);
  }

  /** Creates a role-ARN credential. */
  createRoleCredential(name: string, roleArn: string): Promise<CredentialInfo> {
    return this.request('POST', PATHS.credentials, CredentialInfoSchema, { body: roleCredentialBody(name, roleArn) });
  }

  /** Rewrites a role-ARN credential (its fields cannot be read back, so it is always written). */
  updateRoleCredential(id: string, name: string, roleArn: string): Promise<CredentialInfo> {
    return this.request('PUT', PATHS.credential(id), CredentialInfoSchema, { body: roleCredentialBody(name, roleArn) });
  }

  /** Deletes a credential; false when it was already gone. */
  async deleteCredential(id: string): Promise<boolean> {
    return (await this.find('DELETE', PATHS.credential(id), z.unknown())) !== undefined;
  }

  /**
   * The media retention policies named `name`: asked with the list's `name` filter (SDK
   * getRecordingMediaretentionpoliciesOptions), then matched exactly, since the filter may match more.
   */
  async policiesNamed(name: string): Promise<Policy[]> {
    const listed = await this.listAllWith(RECORDING_POLICY_PATHS.policies, PolicySchema, {
      [RECORDING_POLICIES_QUERY.name]: name,
    });
    return listed.filter((p) => p.name === name);
  }

  getPolicy(id: string): Promise<Policy | undefined> {
    return this.find('GET', RECORDING_POLICY_PATHS.policy(id), PolicySchema);
  }

  createPolicy(body: PolicyBody): Promise<Policy> {
    return this.request('POST', RECORDING_POLICY_PATHS.policies, PolicySchema, { body });
  }

  /** Replaces a policy; undefined when it is gone. */
  updatePolicy(id: string, body: PolicyBody): Promise<Policy | undefined> {
    return this.find('PUT', RECORDING_POLICY_PATHS.policy(id), PolicySchema, { body });
  }

  /** Deletes a policy; false when it was already gone. */
  async deletePolicy(id: string): Promise<boolean> {
    return (await this.find('DELETE', RECORDING_POLICY_PATHS.policy(id), z.unknown())) !== undefined;
  }

  /** Creates a recording bulk job (state PENDING). */
  createRecordingJob(body: RecordingJobBody): Promise<RecordingJob> {
    return this.request('POST', RECORDING_POLICY_PATHS.jobs, RecordingJobSchema, { body });
  }

  getRecordingJob(id: string): Promise<RecordingJob | undefined> {
    return this.find('GET', RECORDING_POLICY_PATHS.job(id), RecordingJobSchema);
  }

  /** Starts a READY job; only the client that created it may. */
  executeRecordingJob(id: string): Promise<RecordingJob> {
    const body: ExecuteJobBody = { state: JOB_STATE.processing };
    return this.request('PUT', RECORDING_POLICY_PATHS.job(id), RecordingJobSchema, { body });
  }

  /** The calling client's own export jobs (`showOnlyMyJobs`), every page. */
  listMyExportJobs(): Promise<RecordingJob[]> {
    return this.listAllWith(RECORDING_POLICY_PATHS.jobs, RecordingJobSchema, {
      [RECORDING_JOBS_QUERY.showOnlyMyJobs]: 'true',
      [RECORDING_JOBS_QUERY.jobType]: JOB_ACTION_EXPORT,
    });
  }

  /** The recordings a job could not process, every page. */
  failedRecordings(id: string): Promise<FailedRecording[]> {
    return this.listAll(RECORDING_POLICY_PATHS.failedRecordings(id), FailedRecordingSchema);
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > this.now()) return this.token.value;
    const credentials = this.options.credentials;
    if (!credentials) {
      throw new Error('This Genesys call needs OAuth client credentials, and the client was created without them.');
    }
    const label = `POST ${OAUTH.tokenPath}`;
    const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
    // A token request sent twice only issues a second token: it is safe to retry.
    const response = await this.send(
      label,
      new URL(OAUTH.tokenPath, this.options.loginBaseUrl).toString(),
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ grant_type: OAUTH.grantType }).toString(),
      },
      true,
    );
    if (response.status === 400 || response.status === 401) {
      const error = await errorOf(label, response);
      const source = this.options.credentialsSource ? ` in ${this.options.credentialsSource}` : '';
      throw new GenesysApiError(
        label,
        error.status,
        error.code,
        `${error.genesysMessage} (check clientId and clientSecret${source}, and that the OAuth client uses the Client Credentials grant)`,
      );
    }
    const token = await parseAnswer(label, response, TokenSchema);
    // Renew a minute early so a token never expires between the check and the call.
    const lifetimeMs = Math.max(0, (token.expires_in ?? 3600) - 60) * 1000;
    this.token = { value: token.access_token, expiresAt: this.now() + lifetimeMs };
    return token.access_token;
  }

  /**
   * One call with retries: 429, 5xx and timeouts are retried until the call's or the client's
   * budget runs out; a call that is not idempotent is retried only after 429.
   */
  private async send(label: string, url: string, init: RequestInit, idempotent: boolean): Promise<Response> {
    const deadline = callDeadline(this.policy, this.now(), this.createdAt);
    let lastFailure: GenesysApiError | undefined;
    let unreachable = 0;
    for (let attempt = 0; ; attempt++) {
      const remaining = deadline - this.now();
      if (lastFailure && remaining <= 0) throw lastFailure;
      const timeoutMs = Math.min(this.policy.attemptTimeoutMs, Math.max(1, remaining));
      let failure: GenesysApiError;
      let retryAfterMs: number | undefined;
      try {
        const response = await this.doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
        if (!(idempotent ? isRetryableStatus : isRetryableCreateStatus)(response.status)) return response;
        retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.now());
        failure = await errorOf(label, response);
      } catch (error) {
        failure = transportError(label, error, timeoutMs, url);
        // Nobody answers at that address: retrying for the whole budget would only hide the mistake.
        if (failure.code === 'unreachable' && ++unreachable >= this.policy.unreachableAttempts) throw failure;
        // The request may have reached Genesys before the answer was lost: repeating it could duplicate.
        // A refused connection never reached it, so even a create may go again.
        if (!idempotent && failure.code !== 'unreachable') throw failure;
      }
      const delay = retryDelayMs(this.policy, attempt, retryAfterMs, this.random);
      if (!fitsDeadline(this.policy, this.now(), delay, deadline)) throw failure;
      lastFailure = failure;
      await this.sleep(delay);
    }
  }
}

/** A POST creates (integrations, credentials, jobs) unless it is one of Genesys's read-only queries. */
function isIdempotent(method: string, path: string): boolean {
  return method.toUpperCase() !== 'POST' || path.endsWith('/query');
}

function roleCredentialBody(name: string, roleArn: string): CredentialBody {
  return { name, type: { name: ROLE_ARN_CREDENTIAL.type }, credentialFields: { [ROLE_ARN_CREDENTIAL.field]: roleArn } };
}

async function parseAnswer<T>(label: string, response: Response, schema: z.core.$ZodType<T>): Promise<T> {
  if (!response.ok) throw await errorOf(label, response);
  const text = await response.text();
  let json: unknown;
  try {
    json = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new GenesysApiError(label, response.status, 'malformed.response', 'the response body is not JSON');
  }
  const parsed = z.safeParse(schema, json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GenesysApiError(
      label,
      response.status,
      'malformed.response',
      `the response does not match the expected shape at '${issue.path.join('.') || '(root)'}': ${issue.message}`,
    );
  }
  return parsed.data;
}

async function errorOf(label: string, response: Response): Promise<GenesysApiError> {
  const text = await response.text().catch(() => '');
  let body: z.infer<typeof ErrorBodySchema> = {};
  try {
    const parsed = ErrorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success) body = parsed.data;
  } catch {
    // Not JSON: keep the status and a short excerpt.
  }
  const message =
    body.message ??
    body.error_description ??
    body.description ??
    (text.trim().slice(0, 200) || response.statusText || 'no message');
  return new GenesysApiError(label, response.status, body.code ?? body.error ?? 'unknown', message);
}

function transportError(label: string, error: unknown, timeoutMs: number, url: string): GenesysApiError {
  // Duck-typed: fetch rejects with a DOMException that need not be an Error of this realm.
  const { name, message, cause } = (error ?? {}) as {
    name?: unknown;
    message?: unknown;
    cause?: { message?: unknown; code?: unknown };
  };
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new GenesysApiError(label, 0, 'timeout', `no answer within ${timeoutMs} ms`);
  }
  // fetch refuses some ports outright (the WHATWG "bad port" list): no retry can change that.
  if (cause?.message === 'bad port') {
    const { host, port } = new URL(url);
    return new GenesysApiError(
      label,
      0,
      'unreachable',
      `fetch refuses to connect to port ${port} (${host}); use another port`,
      {
        cause: error,
      },
    );
  }
  if (typeof cause?.code === 'string' && UNREACHABLE_CODES.has(cause.code)) {
    const host = new URL(url).host;
    return new GenesysApiError(label, 0, 'unreachable', `could not reach ${host} (${cause.code})`, { cause: error });
  }
  const detail = typeof cause?.message === 'string' ? `: ${cause.message}` : '';
  return new GenesysApiError(label, 0, 'network', `${typeof message === 'string' ? message : String(error)}${detail}`, {
    cause: error,
  });
}
