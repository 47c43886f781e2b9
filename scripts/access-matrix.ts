import * as fs from 'fs';
import * as path from 'path';
import { computeMatrix, renderMatrix, renderReadmeSection, replaceReadmeSection } from '../test/access/access-matrix';
import { describeMismatches } from '../test/access/simulate-scenario';

/** Prints the access matrix of every committed environment; `--write-readme` also refreshes README.md's copy. */
async function main(argv: readonly string[]): Promise<number> {
  const results = await computeMatrix();
  process.stdout.write(`${renderMatrix(results)}\n`);
  if (argv.includes('--write-readme')) {
    const readmePath = path.join(__dirname, '..', 'README.md');
    const readme = fs.readFileSync(readmePath, 'utf8');
    fs.writeFileSync(readmePath, replaceReadmeSection(readme, renderReadmeSection(results)));
    process.stderr.write('README.md access-review section refreshed.\n');
  }
  const mismatches = results.filter((r) => r.mismatches.length > 0);
  for (const r of mismatches) process.stderr.write(`${describeMismatches(r.envName, r.mismatches)}\n`);
  return mismatches.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
