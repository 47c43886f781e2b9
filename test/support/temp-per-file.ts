import os from 'os';
import { endFileTemp, startFileTemp } from './temp-check';

// Each test file's os.tmpdir() is a folder of its own inside the run's: jest runs one file at a
// time per worker, so the worker's os module (the real one, shared with CDK and every library)
// can point at it for the file's duration.
const dir = startFileTemp(expect.getState().testPath ?? 'test');
if (dir) {
  const mutableOs = os as { tmpdir: () => string };
  const tmpdir = mutableOs.tmpdir;
  mutableOs.tmpdir = () => dir;
  afterAll(() => {
    mutableOs.tmpdir = tmpdir;
    endFileTemp(dir);
  });
}
