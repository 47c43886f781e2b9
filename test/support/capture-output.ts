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
