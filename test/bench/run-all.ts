import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

// Runs every test/bench/*.bench.ts in its own process, one after another, so they don't share CPU;
// `npm run bench -- synth bundles` runs only the benchmarks whose file name contains one of the words.
const dir = __dirname;
const only = process.argv.slice(2);
const benches = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && (only.length === 0 || only.some((word) => f.includes(word))))
  .sort();
let failed = 0;
for (const file of benches) {
  process.stdout.write(`\n=== ${file} ===\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, file)], { stdio: 'inherit' });
  if (run.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
