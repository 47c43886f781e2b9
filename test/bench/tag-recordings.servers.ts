import { startS3Proxy } from '../support/s3-proxy';
import { startS3 } from '../support/s3rver';

// Runs s3rver and the 20 ms delaying proxy in their own process, so the benchmark process's CPU
// time is the handler's and the SDK's alone. Prints the endpoints as one JSON line.
async function main() {
  const s3 = await startS3([process.argv[2]]);
  const proxy = await startS3Proxy(s3.endpoint, { delayMs: Number(process.argv[3]) });
  process.stdout.write(`${JSON.stringify({ s3: s3.endpoint, proxy: proxy.endpoint })}\n`);
  process.on('SIGTERM', () => {
    void Promise.all([proxy.stop(), s3.stop()]).then(() => process.exit(0));
  });
}

void main();
