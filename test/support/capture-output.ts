import { PassThrough } from 'stream';

/**
 * Captures everything written to stdout and stderr (structured logs, EMF metrics) from now until
 * jest restores its mocks; returns the array the chunks are appended to.
 */
export function captureOutput(): string[] {
  const output: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  };
  jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  return output;
}

/**
 * Streams a command under test writes to (`CliIo` of scripts/lib/cli.ts), with everything written
 * collected in `text.out` and `text.err`.
 */
export function captureIo() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const text = { out: '', err: '' };
  stdout.on('data', (d) => (text.out += String(d)));
  stderr.on('data', (d) => (text.err += String(d)));
  return { io: { stdout, stderr }, text };
}
