import * as fs from 'fs';
import * as path from 'path';

const repoRoot = path.join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.(ts|js|mjs|cjs)$/.test(entry.name) ? [full] : [];
  });
}

test('the AGPL simulator is a devDependency imported only from test/ and scripts/', () => {
  const pkg: unknown = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  expect(pkg).toHaveProperty(['devDependencies', '@cloud-copilot/iam-simulate']);
  expect(pkg).not.toHaveProperty(['dependencies', '@cloud-copilot/iam-simulate']);
  const shipped = ['lib', 'bin', 'lambda'].flatMap((dir) => sourceFiles(path.join(repoRoot, dir)));
  const offenders = shipped.filter((file) => fs.readFileSync(file, 'utf8').includes('@cloud-copilot/'));
  expect(offenders.map((f) => path.relative(repoRoot, f))).toEqual([]);
});
