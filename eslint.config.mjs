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
    // Handlers: a bundle must not pull in all of zod's locales through the `z` re-export.
    files: ['lambda/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "ImportDeclaration[source.value='zod'] > :matches(ImportSpecifier[imported.name='z'], ImportDefaultSpecifier)",
          message: "Use `import * as z from 'zod'`: the `z` re-export keeps every zod locale in the bundle (+260 KB).",
        },
      ],
    },
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
