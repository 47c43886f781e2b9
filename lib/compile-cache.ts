import * as nodeModule from 'module';
import { synthCacheDir } from './cache-dir';

/**
 * Imported first by `bin/app.ts`: on Node.js 22+, V8 keeps the compiled code of every module
 * loaded after this one (aws-cdk-lib, zod, the app's own files as tsx transformed them) under
 * `node_modules/.cache/recording-archive/node-compile/`, so the next synth does not compile them
 * again. Node checks each entry against the module's source and drops what no longer matches; it
 * never changes what a module does. Node.js 20 has no such cache (nothing happens), and
 * `RECORDING_ARCHIVE_CACHE=off` turns it off with the other synth caches.
 */
const dir = synthCacheDir('node-compile');
const enable = (nodeModule as { enableCompileCache?: (directory: string) => unknown }).enableCompileCache;
if (dir !== undefined && enable !== undefined) enable(dir);
