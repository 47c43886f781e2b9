import { randomUUID } from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';

/** A request as the fake saw it (the Authorization header is never recorded). */
export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  /** Parsed JSON body, or the raw text when it is not JSON. */
  readonly body: unknown;
}

/** What a route answers. `rawBody` is sent as is (for malformed bodies); otherwise `body` as JSON. */
export interface FakeResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A route: `pattern` is a path with `:name` parameters, e.g. `/api/v2/integrations/:id`. */
export type FakeHandler = (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;

/** A fault served instead of the route for the next `times` matching requests. */
export interface FakeFault {
  readonly method: string;
  /** Path pattern like the routes'. */
  readonly path: string;
  /** @default 1 */
  readonly times?: number;
  /** Answer after this delay (use one longer than the client's attempt timeout for a timeout). */
  readonly delayMs?: number;
  /** @default - after the delay, the real route answers */
  readonly response?: FakeResponse;
  /**
   * When true, the real route handles the request first (its effect happens) and `response` then
   * replaces its answer: a request that landed although its caller saw an error.
   * @default false
   */
  readonly afterRoute?: boolean;
}

/** An integration type the fake serves: the type (with `credentials`) and its two config schemas. */
export interface FakeIntegrationType {
  readonly type: { id: string; credentials: Record<string, { required: boolean; credentialTypes: string[] }> };
  readonly schemas: { properties: JsonSchema; advanced: JsonSchema };
}

export interface JsonSchema {
  type: 'object';
  properties: Record<string, { type: string }>;
  required: string[];
}

export interface FakeIntegration {
  id: string;
  name: string;
  integrationType: { id: string };
  intendedState: string;
  reportedState: { code: string; effective: string; detail?: { message: string } };
  /** Remaining GETs before an enabling integration turns ACTIVE (or ERROR). */
  pollsUntilSettled: number;
}

export interface FakeConfig {
  name: string;
  version: number;
  properties: Record<string, unknown>;
  advanced: Record<string, unknown>;
  notes?: string;
  credentials: Record<string, { id: string }>;
}

export interface FakeCredential {
  id: string;
  name: string;
  type: { name: string };
  credentialFields: Record<string, string>;
}

/** The S3 bulk actions type as the fake serves it by default (field names are the app's assumption). */
export function defaultS3BulkActionsType(): FakeIntegrationType {
  return {
    type: {
      id: 'aws-s3-recording-bulk-actions-integration',
      credentials: { AmazonWebServicesARN: { required: true, credentialTypes: ['amazonWebServicesARN'] } },
    },
    schemas: {
      properties: {
        type: 'object',
        properties: {
          bucketName: { type: 'string' },
          region: { type: 'string' },
          kmsKeyArn: { type: 'string' },
          prefix: { type: 'string' },
        },
        required: ['bucketName', 'region'],
      },
      advanced: { type: 'object', properties: {}, required: [] },
    },
  };
}

/** A media retention policy as stored (the body the client wrote, plus id and dates). */
export interface FakePolicy {
  id: string;
  name: string;
  [field: string]: unknown;
}

/** A recording Genesys holds, for bulk jobs to find by conversation start time. */
export interface FakeRecording {
  conversationId: string;
  recordingId: string;
  /** Conversation start (ISO 8601). */
  startTime: string;
  exportedDate?: string;
}

/** A recording bulk job and what the fake needs to move it along. */
export interface FakeJob {
  id: string;
  state: 'PENDING' | 'READY' | 'PROCESSING' | 'FULFILLED' | 'FAILED' | 'CANCELLED';
  /** Client id of the OAuth client that created it. */
  owner: string;
  recordingJobsQuery: Record<string, unknown> & {
    conversationQuery?: { interval?: string; conversationFilters?: unknown[] };
  };
  dateCreated: string;
  totalConversations: number;
  totalRecordings: number;
  totalProcessedRecordings: number;
  totalSkippedRecordings: number;
  totalFailedRecordings: number;
  percentProgress: number;
  errorMessage?: string;
  /** The recordings the job's query found. */
  matched: FakeRecording[];
  /** GETs left before PENDING turns READY. */
  pollsUntilReady: number;
}

/** What the fake holds; tests read and change it directly. */
export interface FakeGenesysState {
  readonly policies: Map<string, FakePolicy>;
  readonly jobs: Map<string, FakeJob>;
  /** Recordings bulk jobs can find. */
  recordings: FakeRecording[];
  /** Recording ids a job fails to export (listed by failedrecordings). */
  readonly failingRecordingIds: Set<string>;
  /** When set, a job being processed ends FAILED with this message. */
  jobFailure?: string;
  /** GETs a PENDING job answers before it is READY. */
  jobPollsBeforeReady: number;
  /** Points of percentProgress a PROCESSING job gains per GET. */
  jobProgressPerPoll: number;
  /** Other OAuth clients of the org (client id -> secret). */
  readonly otherClients: Map<string, string>;
  /** Client id of each issued token. */
  readonly tokenOwners: Map<string, string>;
  readonly integrations: Map<string, FakeIntegration>;
  readonly configs: Map<string, FakeConfig>;
  readonly credentials: Map<string, FakeCredential>;
  readonly types: Map<string, FakeIntegrationType>;
  ipRanges: { cidr: string; service: string; region: string }[];
  /** GETs an enabling integration reports ACTIVATING before it settles. */
  pollsBeforeActive: number;
  /** When set, enabling settles in ERROR with this message instead of ACTIVE. */
  activationError?: string;
  /** Issued access tokens. */
  readonly tokens: Set<string>;
}

/** A recorded request (method, path, query string, JSON body). */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly body: unknown;
}

const notFound = (what: string): FakeResponse => ({
  status: 404,
  body: { status: 404, code: 'not.found', message: `${what} not found`, contextId: randomUUID() },
});
const badRequest = (message: string): FakeResponse => ({
  status: 400,
  body: { status: 400, code: 'bad.request', message, contextId: randomUUID() },
});

/**
 * A fake Genesys Cloud (login host and API host on one loopback port): OAuth client credentials,
 * integrations and their config, integration types and config schemas, credentials, ipranges,
 * media retention policies and recording bulk jobs.
 * Extend it with {@link FakeGenesys.route}; inject faults with {@link FakeGenesys.inject}.
 */
export class FakeGenesys {
  /** Starts on 127.0.0.1 on a free port. */
  static async start(clientId = 'fake-client-id', clientSecret = 'fake-client-secret-Zq9'): Promise<FakeGenesys> {
    const fake = new FakeGenesys(clientId, clientSecret);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  readonly state: FakeGenesysState = {
    policies: new Map(),
    jobs: new Map(),
    recordings: [],
    failingRecordingIds: new Set(),
    jobPollsBeforeReady: 1,
    jobProgressPerPoll: 50,
    otherClients: new Map(),
    tokenOwners: new Map(),
    integrations: new Map(),
    configs: new Map(),
    credentials: new Map(),
    types: new Map([['aws-s3-recording-bulk-actions-integration', defaultS3BulkActionsType()]]),
    ipRanges: [],
    pollsBeforeActive: 1,
    tokens: new Set(),
  };
  readonly requests: RecordedRequest[] = [];
  private readonly routes: { method: string; pattern: string; handler: FakeHandler }[] = [];
  private readonly faults: (FakeFault & { remaining: number })[] = [];
  private readonly server: http.Server;

  private constructor(
    readonly clientId: string,
    readonly clientSecret: string,
  ) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.registerDefaultRoutes();
  }

  /** `http://127.0.0.1:PORT`, serving both the login and the API paths. */
  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Adds a route, or replaces the one with the same method and pattern. */
  route(method: string, pattern: string, handler: FakeHandler): void {
    const existing = this.routes.findIndex((r) => r.method === method && r.pattern === pattern);
    if (existing >= 0) this.routes.splice(existing, 1);
    this.routes.unshift({ method, pattern, handler });
  }

  /** Serves a fault for the next matching requests. */
  inject(fault: FakeFault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  /** Requests received, optionally only those matching method and path pattern. */
  received(method?: string, pattern?: string): RecordedRequest[] {
    return this.requests.filter((r) => (!method || r.method === method) && (!pattern || matchPath(pattern, r.path)));
  }

  /** Clears requests, faults and state (types back to the default). */
  reset(): void {
    this.requests.length = 0;
    this.faults.length = 0;
    this.state.integrations.clear();
    this.state.configs.clear();
    this.state.credentials.clear();
    this.state.types.clear();
    this.state.types.set('aws-s3-recording-bulk-actions-integration', defaultS3BulkActionsType());
    this.state.ipRanges = [];
    this.state.pollsBeforeActive = 1;
    this.state.activationError = undefined;
    this.state.tokens.clear();
    this.state.policies.clear();
    this.state.jobs.clear();
    this.state.recordings = [];
    this.state.failingRecordingIds.clear();
    this.state.jobFailure = undefined;
    this.state.jobPollsBeforeReady = 1;
    this.state.jobProgressPerPoll = 50;
    this.state.otherClients.clear();
    this.state.tokenOwners.clear();
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let body: unknown = text;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      // form-encoded or malformed: keep the text
    }
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, query: url.search, body });

    const serveRoute = async (): Promise<FakeResponse> => {
      const route = this.routes.find((r) => r.method === method && matchPath(r.pattern, url.pathname));
      const params = route ? (matchPath(route.pattern, url.pathname) as Record<string, string>) : {};
      const request: FakeRequest = {
        method,
        path: url.pathname,
        params,
        query: url.searchParams,
        headers: req.headers,
        body,
      };
      return !route
        ? notFound(`${method} ${url.pathname}`)
        : this.authorized(route.pattern, req.headers.authorization)
          ? await route.handler(request)
          : { status: 401, body: { status: 401, code: 'bad.credentials', message: 'Invalid login credentials.' } };
    };

    let response: FakeResponse | undefined;
    const fault = this.faults.find((f) => f.remaining > 0 && f.method === method && matchPath(f.path, url.pathname));
    if (fault) {
      fault.remaining--;
      if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      const routed = fault.afterRoute ? await serveRoute() : undefined;
      response = fault.response ?? routed;
    }
    if (!response) response = await serveRoute();
    if (res.destroyed) return;
    res.writeHead(response.status, { 'content-type': 'application/json', ...response.headers });
    res.end(response.rawBody ?? (response.body === undefined ? '' : JSON.stringify(response.body)));
  }

  private authorized(pattern: string, authorization: string | undefined): boolean {
    if (pattern === '/oauth/token' || pattern === '/api/v2/ipranges') return true;
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    return token !== undefined && this.state.tokens.has(token);
  }

  private registerDefaultRoutes(): void {
    const s = this.state;
    this.route('POST', '/oauth/token', (r) => {
      const clients = new Map([[this.clientId, this.clientSecret], ...s.otherClients]);
      const owner = [...clients].find(
        ([id, secret]) => r.headers.authorization === `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
      )?.[0];
      if (owner === undefined) {
        return {
          status: 401,
          body: { error: 'invalid_client', description: 'client not found', error_description: 'client not found' },
        };
      }
      if (typeof r.body !== 'string' || new URLSearchParams(r.body).get('grant_type') !== 'client_credentials') {
        return {
          status: 400,
          body: { error: 'unsupported_grant_type', description: 'grant_type must be client_credentials' },
        };
      }
      const token = randomUUID();
      s.tokens.add(token);
      s.tokenOwners.set(token, owner);
      return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: 86399 } };
    });

    this.route('GET', '/api/v2/ipranges', () => ({ status: 200, body: { entities: s.ipRanges } }));

    this.route('GET', '/api/v2/integrations/types/:typeId', (r) => {
      const t = s.types.get(r.params.typeId);
      return t ? { status: 200, body: t.type } : notFound(`integration type ${r.params.typeId}`);
    });
    this.route('GET', '/api/v2/integrations/types/:typeId/configschemas/:kind', (r) => {
      const t = s.types.get(r.params.typeId);
      const schema =
        t && (r.params.kind === 'properties' || r.params.kind === 'advanced') ? t.schemas[r.params.kind] : undefined;
      return schema ? { status: 200, body: schema } : notFound(`config schema ${r.params.kind}`);
    });

    this.route('GET', '/api/v2/integrations', (r) =>
      page([...s.integrations.values()].map(publicIntegration), r.query),
    );
    this.route('POST', '/api/v2/integrations', (r) => {
      const body = r.body as { name?: string; integrationType?: { id?: string } };
      const typeId = body?.integrationType?.id;
      if (!typeId || !s.types.has(typeId)) return badRequest(`integration type ${typeId} does not exist`);
      const integration: FakeIntegration = {
        id: randomUUID(),
        name: body.name ?? typeId,
        integrationType: { id: typeId },
        intendedState: 'DISABLED',
        reportedState: { code: 'INACTIVE', effective: 'Inactive' },
        pollsUntilSettled: 0,
      };
      s.integrations.set(integration.id, integration);
      s.configs.set(integration.id, {
        name: integration.name,
        version: 1,
        properties: {},
        advanced: {},
        credentials: {},
      });
      return { status: 200, body: publicIntegration(integration) };
    });
    this.route('GET', '/api/v2/integrations/:id', (r) => {
      const i = s.integrations.get(r.params.id);
      if (!i) return notFound(`integration ${r.params.id}`);
      if (i.reportedState.code === 'ACTIVATING') {
        if (i.pollsUntilSettled > 0) i.pollsUntilSettled--;
        else
          i.reportedState = s.activationError
            ? { code: 'ERROR', effective: 'Error', detail: { message: s.activationError } }
            : { code: 'ACTIVE', effective: 'Active' };
      }
      return { status: 200, body: publicIntegration(i) };
    });
    this.route('PATCH', '/api/v2/integrations/:id', (r) => {
      const i = s.integrations.get(r.params.id);
      if (!i) return notFound(`integration ${r.params.id}`);
      const state = (r.body as { intendedState?: string })?.intendedState;
      if (state !== 'ENABLED' && state !== 'DISABLED') return badRequest(`intendedState ${state} is not valid`);
      i.intendedState = state;
      if (state === 'ENABLED' && i.reportedState.code !== 'ACTIVE') {
        i.reportedState = { code: 'ACTIVATING', effective: 'Activating' };
        i.pollsUntilSettled = s.pollsBeforeActive;
      }
      if (state === 'DISABLED') i.reportedState = { code: 'INACTIVE', effective: 'Inactive' };
      return { status: 200, body: publicIntegration(i) };
    });
    this.route('DELETE', '/api/v2/integrations/:id', (r) => {
      const i = s.integrations.get(r.params.id);
      if (!i) return notFound(`integration ${r.params.id}`);
      s.integrations.delete(i.id);
      s.configs.delete(i.id);
      return { status: 200, body: publicIntegration(i) };
    });
    this.route('GET', '/api/v2/integrations/:id/config/current', (r) => {
      const c = s.configs.get(r.params.id);
      return c ? { status: 200, body: c } : notFound(`integration ${r.params.id}`);
    });
    this.route('PUT', '/api/v2/integrations/:id/config/current', (r) => {
      const current = s.configs.get(r.params.id);
      const integration = s.integrations.get(r.params.id);
      if (!current || !integration) return notFound(`integration ${r.params.id}`);
      const next = r.body as FakeConfig;
      if (next.version !== current.version) {
        return {
          status: 409,
          body: {
            status: 409,
            code: 'conflict',
            message: `version ${next.version} is not the current version ${current.version}`,
          },
        };
      }
      const type = s.types.get(integration.integrationType.id)!;
      for (const kind of ['properties', 'advanced'] as const) {
        const missing = type.schemas[kind].required.filter((f) => next[kind]?.[f] === undefined);
        if (missing.length) return badRequest(`${kind} misses required field ${missing.join(', ')}`);
      }
      for (const [key, ref] of Object.entries(next.credentials ?? {})) {
        if (!type.type.credentials[key]) return badRequest(`credential key ${key} is not defined by the type`);
        if (!s.credentials.has(ref.id)) return badRequest(`credential ${ref.id} does not exist`);
      }
      const saved: FakeConfig = { ...next, version: current.version + 1 };
      s.configs.set(r.params.id, saved);
      return { status: 200, body: saved };
    });

    this.route('GET', '/api/v2/integrations/credentials', (r) =>
      page(
        [...s.credentials.values()].map((c) => ({ id: c.id, name: c.name, type: c.type })),
        r.query,
      ),
    );
    const writeCredential = (id: string, body: unknown): FakeResponse => {
      const b = body as Partial<FakeCredential>;
      if (!b?.name || !b.type?.name || !b.credentialFields)
        return badRequest('name, type.name and credentialFields are required');
      const credential: FakeCredential = {
        id,
        name: b.name,
        type: { name: b.type.name },
        credentialFields: b.credentialFields,
      };
      s.credentials.set(id, credential);
      return { status: 200, body: { id, name: credential.name, type: credential.type } };
    };
    this.route('POST', '/api/v2/integrations/credentials', (r) => writeCredential(randomUUID(), r.body));
    this.route('PUT', '/api/v2/integrations/credentials/:id', (r) =>
      s.credentials.has(r.params.id) ? writeCredential(r.params.id, r.body) : notFound(`credential ${r.params.id}`),
    );
    registerPolicyRoutes(this, s);
    registerJobRoutes(this, s);

    this.route('DELETE', '/api/v2/integrations/credentials/:id', (r) => {
      if (!s.credentials.delete(r.params.id)) return notFound(`credential ${r.params.id}`);
      return { status: 204 };
    });
  }
}

/** The client id behind a request's bearer token. */
function ownerOf(s: FakeGenesysState, request: FakeRequest): string {
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
  return s.tokenOwners.get(token) ?? '';
}

const ACTIVE_JOB_STATES = new Set(['PENDING', 'PROCESSING']);

/** Media retention policies: CRUD, names unique per org, the export integration must exist. */
function registerPolicyRoutes(fake: FakeGenesys, s: FakeGenesysState): void {
  const validate = (body: unknown, id: string): FakeResponse | FakePolicy => {
    const b = body as
      { name?: unknown; actions?: { integrationExport?: { integration?: { id?: string } } } } | undefined;
    if (typeof b?.name !== 'string' || b.name === '') return badRequest('name is required');
    const conflict = [...s.policies.values()].find((p) => p.name === b.name && p.id !== id);
    if (conflict)
      return {
        status: 409,
        body: { status: 409, code: 'conflict', message: `a policy named ${b.name} already exists` },
      };
    const integrationId = b.actions?.integrationExport?.integration?.id;
    if (integrationId !== undefined && !s.integrations.has(integrationId))
      return badRequest(`integration ${integrationId} does not exist`);
    return { ...(body as object), id, name: b.name, modifiedDate: new Date().toISOString() };
  };
  // The name filter matches by prefix here, so that the client's exact match is tested.
  fake.route('GET', '/api/v2/recording/mediaretentionpolicies', (r) =>
    page(
      [...s.policies.values()].filter((p) => p.name.startsWith(r.query.get('name') ?? '')),
      r.query,
    ),
  );
  fake.route('POST', '/api/v2/recording/mediaretentionpolicies', (r) => {
    const policy = validate(r.body, randomUUID());
    if ('status' in policy) return policy as FakeResponse;
    s.policies.set(policy.id, policy);
    return { status: 200, body: policy };
  });
  fake.route('GET', '/api/v2/recording/mediaretentionpolicies/:id', (r) => {
    const p = s.policies.get(r.params.id);
    return p ? { status: 200, body: p } : notFound(`policy ${r.params.id}`);
  });
  fake.route('PUT', '/api/v2/recording/mediaretentionpolicies/:id', (r) => {
    if (!s.policies.has(r.params.id)) return notFound(`policy ${r.params.id}`);
    const policy = validate(r.body, r.params.id);
    if ('status' in policy) return policy as FakeResponse;
    s.policies.set(policy.id, policy);
    return { status: 200, body: policy };
  });
  fake.route('DELETE', '/api/v2/recording/mediaretentionpolicies/:id', (r) =>
    s.policies.delete(r.params.id) ? { status: 204 } : notFound(`policy ${r.params.id}`),
  );
}

/**
 * Recording bulk jobs: PENDING -> READY (after `jobPollsBeforeReady` GETs) -> PROCESSING (PUT by
 * the creating client) -> FULFILLED or FAILED (progress grows per GET); at most two jobs PENDING
 * or PROCESSING per org, a third is answered 400.
 */
function registerJobRoutes(fake: FakeGenesys, s: FakeGenesysState): void {
  const view = (j: FakeJob) => {
    const { matched: _matched, pollsUntilReady: _polls, owner, ...rest } = j;
    void _matched;
    void _polls;
    return { ...rest, user: { id: owner } };
  };
  const advance = (j: FakeJob) => {
    if (j.state === 'PENDING') {
      if (j.pollsUntilReady > 0) j.pollsUntilReady--;
      if (j.pollsUntilReady === 0) j.state = 'READY';
    } else if (j.state === 'PROCESSING') {
      j.percentProgress = Math.min(100, j.percentProgress + s.jobProgressPerPoll);
      if (j.percentProgress < 100) return;
      if (s.jobFailure) {
        j.state = 'FAILED';
        j.errorMessage = s.jobFailure;
        return;
      }
      const failed = j.matched.filter((r) => s.failingRecordingIds.has(r.recordingId));
      const skipped = j.matched.filter((r) => !failed.includes(r) && r.exportedDate !== undefined);
      const exported = j.matched.filter((r) => !failed.includes(r) && !skipped.includes(r));
      const now = new Date().toISOString();
      for (const r of exported) r.exportedDate = now;
      j.totalFailedRecordings = failed.length;
      j.totalSkippedRecordings = skipped.length;
      j.totalProcessedRecordings = exported.length;
      j.state = 'FULFILLED';
    }
  };
  fake.route('POST', '/api/v2/recording/jobs', (r) => {
    const body = r.body as FakeJob['recordingJobsQuery'] & { action?: string; integrationId?: string };
    if (body?.action !== 'EXPORT' && body?.action !== 'DELETE' && body?.action !== 'ARCHIVE')
      return badRequest('action must be EXPORT, ARCHIVE or DELETE');
    if (body.action === 'EXPORT' && (!body.integrationId || !s.integrations.has(body.integrationId))) {
      return badRequest(`integrationId ${body.integrationId} is not an integration of this org`);
    }
    const interval = body.conversationQuery?.interval;
    const [from, to] = (interval ?? '').split('/').map((t) => Date.parse(t));
    if (Number.isNaN(from) || Number.isNaN(to) || from >= to)
      return badRequest(`conversationQuery.interval ${interval} is not an ISO 8601 interval`);
    const active = [...s.jobs.values()].filter((j) => ACTIVE_JOB_STATES.has(j.state)).length;
    if (active >= 2) return badRequest('at most 2 recording jobs may be PENDING or PROCESSING per organization');
    const conversationIds = JSON.stringify(body.conversationQuery?.conversationFilters ?? [])
      .match(/"value":"([^"]+)"/g)
      ?.map((v) => v.slice(9, -1));
    const matched = s.recordings.filter((rec) => {
      const start = Date.parse(rec.startTime);
      return start >= from && start < to && (!conversationIds || conversationIds.includes(rec.conversationId));
    });
    const job: FakeJob = {
      id: randomUUID(),
      state: 'PENDING',
      owner: ownerOf(s, r),
      recordingJobsQuery: body,
      dateCreated: new Date().toISOString(),
      totalConversations: new Set(matched.map((m) => m.conversationId)).size,
      totalRecordings: matched.length,
      totalProcessedRecordings: 0,
      totalSkippedRecordings: 0,
      totalFailedRecordings: 0,
      percentProgress: 0,
      matched,
      pollsUntilReady: s.jobPollsBeforeReady,
    };
    s.jobs.set(job.id, job);
    return { status: 202, body: view(job) };
  });
  fake.route('GET', '/api/v2/recording/jobs', (r) => {
    const mine = r.query.get('showOnlyMyJobs') === 'true' ? ownerOf(s, r) : undefined;
    const jobType = r.query.get('jobType');
    const state = r.query.get('state');
    const jobs = [...s.jobs.values()].filter(
      (j) =>
        (!mine || j.owner === mine) &&
        (!jobType || j.recordingJobsQuery.action === jobType) &&
        (!state || j.state === state),
    );
    return page(jobs.map(view), r.query);
  });
  fake.route('GET', '/api/v2/recording/jobs/:id', (r) => {
    const j = s.jobs.get(r.params.id);
    if (!j) return notFound(`job ${r.params.id}`);
    advance(j);
    return { status: 200, body: view(j) };
  });
  fake.route('PUT', '/api/v2/recording/jobs/:id', (r) => {
    const j = s.jobs.get(r.params.id);
    if (!j) return notFound(`job ${r.params.id}`);
    if (j.owner !== ownerOf(s, r))
      return {
        status: 403,
        body: { status: 403, code: 'not.authorized', message: 'only the client that created the job may execute it' },
      };
    if ((r.body as { state?: string })?.state !== 'PROCESSING') return badRequest('state must be PROCESSING');
    if (j.state !== 'READY') return badRequest(`job ${j.id} is ${j.state}, not READY`);
    const active = [...s.jobs.values()].filter((other) => ACTIVE_JOB_STATES.has(other.state)).length;
    if (active >= 2) return badRequest('at most 2 recording jobs may be PENDING or PROCESSING per organization');
    j.state = 'PROCESSING';
    return { status: 202, body: view(j) };
  });
  fake.route('DELETE', '/api/v2/recording/jobs/:id', (r) => {
    const j = s.jobs.get(r.params.id);
    if (!j) return notFound(`job ${r.params.id}`);
    j.state = 'CANCELLED';
    return { status: 204 };
  });
  fake.route('GET', '/api/v2/recording/jobs/:id/failedrecordings', (r) => {
    const j = s.jobs.get(r.params.id);
    if (!j) return notFound(`job ${r.params.id}`);
    const failed = j.state === 'FULFILLED' ? j.matched.filter((m) => s.failingRecordingIds.has(m.recordingId)) : [];
    return page(
      failed.map((m) => ({ conversation: { id: m.conversationId }, recording: { id: m.recordingId } })),
      r.query,
    );
  });
}

function publicIntegration(i: FakeIntegration) {
  const { pollsUntilSettled: _hidden, ...rest } = i;
  void _hidden;
  return rest;
}

function page(all: unknown[], query: URLSearchParams): FakeResponse {
  const pageSize = Number(query.get('pageSize') ?? 25);
  const pageNumber = Number(query.get('pageNumber') ?? 1);
  return {
    status: 200,
    body: {
      entities: all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize),
      pageSize,
      pageNumber,
      total: all.length,
      pageCount: Math.max(1, Math.ceil(all.length / pageSize)),
    },
  };
}

/** Path parameters when `path` matches `pattern` (`:name` segments), else undefined. */
function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const p = pattern.split('/');
  const a = path.split('/');
  if (p.length !== a.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(a[i]);
    else if (p[i] !== a[i]) return undefined;
  }
  return params;
}
