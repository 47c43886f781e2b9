// Lint: typescript-eslint's type-checked recommendations on every TypeScript file of the repo.
// `npm run lint` runs this and `prettier --check .`; `npm run format` rewrites the formatting.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'cdk.out/', 'coverage/', '**/*.js', '**/*.cjs', '**/*.mjs', '**/*.d.ts'],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // The project service reads tsconfig.json once for all files: one type-check program.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Unused names are compile errors already (tsconfig noUnusedLocals / noUnusedParameters);
      // the lint copy would only report them twice. `_`-prefixed parameters stay allowed there.
      '@typescript-eslint/no-unused-vars': 'off',
      // `async` is how a function meets a Promise-returning contract (every CLI `main`, the fakes
      // of async adapters in tests): without an await it still turns a throw into a rejection,
      // which a plain function returning Promise.resolve() would not.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Handlers: zod's classic API does not tree-shake (every schema type and method rides along,
    // about 85 KB of each bundle), so function code uses `zod/mini`, and only through
    // lambda/shared/zod.ts, which also loads zod's English messages (`zod/mini` loads no locale).
    files: ['lambda/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'zod',
              message:
                "Import `* as z` from lambda/shared/zod: classic zod does not tree-shake (+85 KB per bundle); the shared module is `zod/mini` with zod's English messages.",
            },
            {
              name: 'zod/mini',
              message:
                "Import `* as z` from lambda/shared/zod: it is `zod/mini` with zod's English messages loaded, which `zod/mini` alone lacks.",
            },
          ],
          patterns: [
            {
              group: ['zod/v3', 'zod/v4', 'zod/v4/classic', 'zod/v4/classic/*', 'zod/v4-mini', 'zod/v4/mini'],
              message:
                'Import `* as z` from lambda/shared/zod: classic zod does not tree-shake (+85 KB per bundle), and `zod/mini` needs the English messages the shared module loads.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "ImportDeclaration[source.value=/^\\..*\\x2Fzod$/] > :matches(ImportSpecifier[imported.name='z'], ImportDefaultSpecifier)",
          message:
            "Use `import * as z from '<...>/shared/zod'`: the `z` re-export keeps every zod locale and all of zod/mini in the bundle (+400 KB).",
        },
      ],
    },
  },
  {
    // The one module of function code that imports `zod/mini` itself.
    files: ['lambda/shared/zod.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Tests assert on values jest hands back as `any` (mock.calls, expect.any, JSON.parse of
    // fixtures) and pass async functions to jest hooks; the unsafe-* rules flag those without
    // finding anything a test could get wrong at run time.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
