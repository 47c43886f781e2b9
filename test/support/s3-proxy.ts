import * as http from 'http';
import { AddressInfo } from 'net';

/** What the proxy does to one request before (or instead of) forwarding it. */
export interface S3ProxyOptions {
  /** Milliseconds added to every request. @default 0 */
  readonly delayMs?: number;
  /** Answer 503 SlowDown instead of forwarding when this returns true. @default - never */
  readonly throttle?: (method: string, path: string) => boolean;
  /** Sees every request (method, decoded path, subresource kind such as `GET ?tagging`). @default - nothing */
  readonly observe?: (method: string, path: string, kind: string) => void;
}

/** A loopback HTTP proxy in front of s3rver, counting requests, so s3rver itself stays untouched. */
export interface S3Proxy {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  /** Requests received, by `METHOD ?subresource` (e.g. `GET ?tagging`). */
  readonly counts: Map<string, number>;
  /** All requests received. */
  total(): number;
  stop(): Promise<void>;
}

/** Path on the proxy that answers its request counts as JSON (and clears them with `?reset`). */
export const COUNTS_PATH = '/__proxy/counts';

const SLOW_DOWN =
  '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>';

/** Starts a proxy on a free loopback port that forwards to `target` (an s3rver endpoint). */
export async function startS3Proxy(target: string, options: S3ProxyOptions = {}): Promise<S3Proxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const counts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', target);
    if (url.pathname === COUNTS_PATH) {
      // Lets a benchmark read the counts of a proxy running in another process.
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(Object.fromEntries(counts)));
      if (url.searchParams.has('reset')) counts.clear();
      return;
    }
    const kind = `${req.method} ${url.search ? `?${[...url.searchParams.keys()].join('&')}` : ''}`.trim();
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    options.observe?.(req.method ?? 'GET', decodeURIComponent(url.pathname), kind);
    const forward = () => {
      if (options.throttle?.(req.method ?? 'GET', decodeURIComponent(url.pathname))) {
        req.resume();
        res.writeHead(503, { 'content-type': 'application/xml' }).end(SLOW_DOWN);
        return;
      }
      const out = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
          agent,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on('error', () => res.writeHead(502).end());
      req.pipe(out);
    };
    if (options.delayMs) setTimeout(forward, options.delayMs);
    else forward();
  });
  server.keepAliveTimeout = 30000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    async stop() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
