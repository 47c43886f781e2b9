import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

/**
 * A throw-away, in-memory Ceph RADOS Gateway: one monitor, one memstore OSD and radosgw, all on
 * 127.0.0.1 on free ports, state in one folder. It is a real S3 implementation of Object Lock,
 * versions, legal hold, tagging and lifecycle execution (one lifecycle "day" is
 * {@link RGW_LC_DAY_SECONDS} seconds). Debian 12: `apt-get install --no-install-recommends -y
 * radosgw ceph-mon ceph-osd`.
 */
export interface RgwServer {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** A second user, for cross-principal checks. */
  readonly otherCredentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** The KMS key id the gateway's testing KMS backend knows (an ARN, as the archive uses). */
  readonly kmsKeyId: string;
  /** Seconds one lifecycle day lasts on this gateway. */
  readonly lcDaySeconds: number;
  /** Processes to stop, by pid. */
  readonly pids: readonly number[];
  readonly stateDir: string;
}

export const RGW_LC_DAY_SECONDS = 10;
const KMS_KEY_ARN = 'arn:aws:kms:us-east-1:111111111111:key/11111111-2222-3333-4444-555555555555';
const USERS = [
  { uid: 'tester', accessKeyId: 'accessKey1', secretAccessKey: 'verySecretKey1' },
  { uid: 'other', accessKeyId: 'accessKey2', secretAccessKey: 'verySecretKey2' },
] as const;
const BINARIES = ['ceph-mon', 'ceph-osd', 'radosgw', 'radosgw-admin', 'ceph', 'ceph-authtool', 'monmaptool'];
export const RGW_INSTALL_HINT =
  'The Ceph RADOS Gateway is not installed; run: apt-get install --no-install-recommends -y radosgw ceph-mon ceph-osd (.ci/run does this).';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function installed(binary: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => fs.existsSync(path.join(dir, binary)));
}

function conf(stateDir: string, fsid: string, monPort: number, rgwPort: number): string {
  return `[global]
fsid = ${fsid}
mon host = v2:127.0.0.1:${monPort}
mon initial members = a
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc secure
ms client mode = crc secure
ms bind ipv6 = false
public network = 127.0.0.0/8
run dir = ${stateDir}/run
admin socket = ${stateDir}/run/$name.asok
log file = ${stateDir}/log/$name.log
keyring = ${stateDir}/keyring
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon max pg per osd = 1000
mon data avail warn = 5
osd crush chooseleaf type = 0
[mon]
mon data = ${stateDir}/mon/$name
[osd]
osd data = ${stateDir}/osd/$id
osd objectstore = memstore
memstore device bytes = 2147483648
[client]
rgw frontends = beast endpoint=127.0.0.1:${rgwPort}
rgw crypt require ssl = false
rgw crypt s3 kms backend = testing
rgw crypt s3 kms encryption keys = testkey-1=YmluCmJvb3N0CmJvb3N0LWJ1aWxkCmNlcGguY29uZgo= ${KMS_KEY_ARN}=aWIKTWFrZWZpbGUKbWFuCm91dApzcmMKVGVzdGluZwo=
rgw lc debug interval = ${RGW_LC_DAY_SECONDS}
`;
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs: number, logDir: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not come up within ${timeoutMs / 1000} s; see the logs in ${logDir}`);
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return response.status > 0;
  } catch {
    return false;
  }
}

/** Starts a gateway with its state in `stateDir` (created; removed by {@link stopRgw}). */
export async function startRgw(stateDir: string): Promise<RgwServer> {
  const missing = BINARIES.filter((b) => !installed(b));
  if (missing.length > 0) throw new Error(RGW_INSTALL_HINT);

  for (const sub of ['mon', 'osd/0', 'log', 'run']) fs.mkdirSync(path.join(stateDir, sub), { recursive: true });
  const [monPort, rgwPort] = [await freePort(), await freePort()];
  const fsid = crypto.randomUUID();
  const confFile = path.join(stateDir, 'ceph.conf');
  fs.writeFileSync(confFile, conf(stateDir, fsid, monPort, rgwPort));
  const c = ['-c', confFile];
  const run = (cmd: string, args: string[], timeout = 30_000) =>
    execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout });
  const pids: number[] = [];
  const daemon = (cmd: string, args: string[], name: string) => {
    const out = fs.openSync(path.join(stateDir, 'log', `${name}.out`), 'a');
    const child = spawn(cmd, args, { detached: true, stdio: ['ignore', out, out] });
    child.unref();
    fs.closeSync(out);
    pids.push(child.pid!);
    fs.writeFileSync(path.join(stateDir, 'pids'), pids.join('\n'));
  };

  try {
    run('ceph-authtool', [
      '--create-keyring',
      path.join(stateDir, 'keyring'),
      '--gen-key',
      '-n',
      'mon.',
      '--cap',
      'mon',
      'allow *',
    ]);
    run('monmaptool', [
      '--create',
      '--addv',
      'a',
      `[v2:127.0.0.1:${monPort}]`,
      '--fsid',
      fsid,
      path.join(stateDir, 'monmap'),
    ]);
    run('ceph-mon', [
      ...c,
      '--mkfs',
      '-i',
      'a',
      '--monmap',
      path.join(stateDir, 'monmap'),
      '--keyring',
      path.join(stateDir, 'keyring'),
    ]);
    daemon('ceph-mon', [...c, '-i', 'a', '-f'], 'mon');
    const osdUuid = crypto.randomUUID();
    run('ceph', [...c, 'osd', 'new', osdUuid]);
    run('ceph-osd', [...c, '-i', '0', '--mkfs', '--osd-uuid', osdUuid], 60_000);
    daemon('ceph-osd', [...c, '-i', '0', '-f'], 'osd');
    daemon('radosgw', [...c, '-n', 'client.rgw.a', '-f'], 'rgw');
    const endpoint = `http://127.0.0.1:${rgwPort}`;
    await waitFor(() => answers(`${endpoint}/`), 'radosgw', 90_000, path.join(stateDir, 'log'));
    for (const u of USERS) {
      run('radosgw-admin', [
        ...c,
        'user',
        'create',
        `--uid=${u.uid}`,
        `--display-name=${u.uid}`,
        `--access-key=${u.accessKeyId}`,
        `--secret-key=${u.secretAccessKey}`,
      ]);
    }
    return {
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: USERS[0].accessKeyId, secretAccessKey: USERS[0].secretAccessKey },
      otherCredentials: { accessKeyId: USERS[1].accessKeyId, secretAccessKey: USERS[1].secretAccessKey },
      kmsKeyId: KMS_KEY_ARN,
      lcDaySeconds: RGW_LC_DAY_SECONDS,
      pids,
      stateDir,
    };
  } catch (error) {
    await stopRgw(stateDir);
    throw error;
  }
}

/** Stops every process started for `stateDir` and removes the folder. */
export async function stopRgw(stateDir: string): Promise<void> {
  const pidFile = path.join(stateDir, 'pids');
  const pids = fs.existsSync(pidFile)
    ? fs.readFileSync(pidFile, 'utf8').split('\n').filter(Boolean).map(Number).reverse()
    : [];
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      continue; // already gone
    }
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  fs.rmSync(stateDir, { recursive: true, force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
