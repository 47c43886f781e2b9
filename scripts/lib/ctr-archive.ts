import { StringDecoder } from 'string_decoder';
import { Readable } from 'stream';
import * as zlib from 'zlib';

/** Yields the bytes of a stream, gunzipped when it starts with gzip's magic bytes (several members allowed). */
export async function* decompressed(input: AsyncIterable<Buffer | Uint8Array | string>): AsyncGenerator<Buffer> {
  const it = input[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head = Buffer.from(first.value);
  const all = (async function* () {
    yield head;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield Buffer.from(next.value);
    }
  })();
  if (head[0] === 0x1f && head[1] === 0x8b) {
    for await (const chunk of Readable.from(all).pipe(zlib.createGunzip())) yield chunk as Buffer;
  } else {
    yield* all;
  }
}

/**
 * Splits a stream of concatenated JSON objects, as Connect and Firehose write CTRs (one per line
 * or with nothing between them), into the text of each object, without holding more than one
 * object in memory. Text outside an object other than whitespace fails with where it was found.
 */
export async function* jsonObjects(chunks: AsyncIterable<Buffer>, name: string): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let depth = 0;
  let inString = false;
  let escaped = false;
  let current = '';
  let offset = 0;
  const scan = function* (text: string): Generator<string> {
    let start = depth > 0 ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (depth === 0) {
        if (c === '{') {
          depth = 1;
          start = i;
        } else if (!/\s/.test(c)) {
          throw new Error(
            `${name} has '${c}' at character ${offset + i} outside any JSON object; a CTR archive holds concatenated JSON objects.`,
          );
        }
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth += 1;
      else if (c === '}' || c === ']') {
        depth -= 1;
        if (depth === 0) {
          yield current + text.slice(start, i + 1);
          current = '';
          start = -1;
        }
      }
    }
    if (depth > 0 && start >= 0) current += text.slice(start);
    offset += text.length;
  };
  for await (const chunk of chunks) yield* scan(decoder.write(chunk));
  yield* scan(decoder.end());
  if (depth > 0) throw new Error(`${name} ends inside a JSON object; the file is cut short.`);
}
