/**
 * zod for function code: the tree-shakable `zod/mini` API with zod's English messages. Unlike the
 * classic `zod` entry, `zod/mini` configures no locale, so its issues would read "Invalid input";
 * importing `z` from here sets the English locale (the one classic zod loads) before any parse.
 * Every handler source imports `* as z from '<...>/shared/zod'` (eslint refuses `zod` and
 * `zod/mini` under `lambda/`).
 */
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());

export * from 'zod/mini';
