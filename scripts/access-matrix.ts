import * as fs from 'fs';
import * as path from 'path';
import { CliError, CommandSpec, exitWith, runCommand } from './lib/cli';
import {
  ACCESS_MATRIX_DOCS_DIR,
  computeMatrix,
  renderEnvironmentPage,
  renderMatrix,
} from '../test/access/access-matrix';
import { ACCESS_ENVIRONMENTS } from '../test/access/environment-templates';
import { describeMismatches } from '../test/access/simulate-scenario';

export const spec: CommandSpec = {
  usage: 'npm run access-matrix -- [--env NAME] [--write-docs]',
  summary:
    'Synthesizes the committed environments, simulates every access scenario against their policies and prints the matrix as markdown; exits 1 when a scenario is not as expected.',
  options: {
    env: { type: 'string', placeholder: 'NAME', description: 'only this committed environment (default: every one)' },
    'write-docs': {
      type: 'boolean',
      description: `also rewrite ${ACCESS_MATRIX_DOCS_DIR}/<env>.md of each environment (and remove pages of environments no longer committed)`,
    },
  },
  examples: ['npm run access-matrix', 'npm run access-matrix -- --write-docs', 'npm run access-matrix -- --env prod'],
};

exitWith(
  runCommand(spec, async (values, io) => {
    const only = values['env'] as string | undefined;
    if (only !== undefined && !ACCESS_ENVIRONMENTS.includes(only)) {
      throw new CliError(`Environment "${only}" is not committed; use one of: ${ACCESS_ENVIRONMENTS.join(', ')}.`);
    }
    const results = await computeMatrix(only ? [only] : ACCESS_ENVIRONMENTS);
    io.stdout.write(`${renderMatrix(results)}\n`);
    if (values['write-docs']) {
      const dir = path.join(__dirname, '..', ACCESS_MATRIX_DOCS_DIR);
      fs.mkdirSync(dir, { recursive: true });
      for (const r of results) fs.writeFileSync(path.join(dir, `${r.envName}.md`), renderEnvironmentPage(r));
      if (!only) {
        for (const file of fs.readdirSync(dir)) {
          if (file.endsWith('.md') && !ACCESS_ENVIRONMENTS.includes(file.slice(0, -3))) fs.rmSync(path.join(dir, file));
        }
      }
      io.stderr.write(`${ACCESS_MATRIX_DOCS_DIR}/: ${results.map((r) => `${r.envName}.md`).join(', ')} written.\n`);
    }
    const mismatches = results.filter((r) => r.mismatches.length > 0);
    for (const r of mismatches) io.stderr.write(`${describeMismatches(r.envName, r.mismatches)}\n`);
    return mismatches.length > 0 ? 1 : 0;
  }),
);
