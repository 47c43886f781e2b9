import { decode, encode, SourceMapSegment } from '@jridgewell/sourcemap-codec';

/** The fields of a version 3 source map this module reads and writes. */
export interface RawSourceMap {
  readonly version: number;
  readonly sources: readonly string[];
  readonly names: readonly string[];
  readonly mappings: string;
  readonly [field: string]: unknown;
}

/**
 * The source map of a bundle, keeping only the mappings into the sources `keep` accepts (the
 * function's own `lambda/...` files): a stack frame in our code still names its file and line,
 * while the packages' code (the AWS SDK, zod, Powertools: nine tenths of the mappings) is mapped
 * to nothing, so Node's `--enable-source-maps` parses a map a fraction of the size on every cold
 * start. A dropped run of mappings becomes one segment without a source: a position inside a
 * package resolves to no file instead of to the last kept mapping before it.
 */
export function ownSourcesOnly(map: RawSourceMap, keep: (source: string) => boolean): RawSourceMap {
  const newIndex = map.sources.map(() => -1);
  const sources: string[] = [];
  map.sources.forEach((source, i) => {
    if (!keep(source)) return;
    newIndex[i] = sources.length;
    sources.push(source);
  });
  const names: string[] = [];
  const nameIndex = new Map<number, number>();
  const lines = decode(map.mappings).map((line) => {
    const kept: SourceMapSegment[] = [];
    let unmapped = false;
    for (const segment of line) {
      const own = segment.length === 1 ? undefined : segment;
      if (own === undefined || newIndex[own[1]] < 0) {
        if (!unmapped) kept.push([segment[0]]);
        unmapped = true;
        continue;
      }
      const [column, source, sourceLine, sourceColumn] = own;
      if (own.length === 5) {
        let name = nameIndex.get(own[4]);
        if (name === undefined) {
          name = names.length;
          names.push(map.names[own[4]]);
          nameIndex.set(own[4], name);
        }
        kept.push([column, newIndex[source], sourceLine, sourceColumn, name]);
      } else {
        kept.push([column, newIndex[source], sourceLine, sourceColumn]);
      }
      unmapped = false;
    }
    return kept;
  });
  return { ...map, sources, names, mappings: encode(lines) };
}
