import { Writable } from 'stream';
import { CliIo } from '../../scripts/lib/cli';

/** A CliIo whose stdout and stderr are kept in memory, for calling a command's main in-process. */
export function bufferedIo(): { io: CliIo; stdout(): string; stderr(): string } {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        append(String(chunk));
        done();
      },
    });
  return {
    io: { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) },
    stdout: () => out,
    stderr: () => err,
  };
}
