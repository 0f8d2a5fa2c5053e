// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'data/**',
      'coverage/**',
      'client/.next/**',
      'client/next-env.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'off',
    },
  },
  {
    // Tests read JSON bodies loosely on purpose: the assertions are what check their shape.
    files: ['**/*.test.ts', 'test-support/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Services use the ports only: '@ticketing/common' exports them from its root, and each
    // adapter from a subpath that the hosts in apps/ choose from (docs/decisions/0031). Nothing
    // in a service reaches into a package's files or up into the apps. Tests are composition
    // roots of a kind: they may build the adapters they run a service on.
    files: ['services/**/*.ts'],
    ignores: ['services/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@ticketing/common/*'],
              message:
                "A service imports only '@ticketing/common' (the ports); its host chooses the adapter (docs/decisions/0031).",
            },
            {
              group: [
                '**/packages/*/**',
                '**/apps/**',
                '@ticketing/*/dist/**',
                '@ticketing/*/src/**',
              ],
              message: "Import a package by its name ('@ticketing/common'), never its files.",
            },
            {
              group: ['@ticketing/service-host', '@ticketing/embedded', '@ticketing/distributed'],
              message: 'The apps compose the services; a service never imports an app.',
            },
          ],
        },
      ],
    },
  },
  {
    // Pages are per visitor and per moment: links go through components/link.tsx, which
    // never prefetches them (see there).
    files: ['client/**/*.{ts,tsx}'],
    ignores: ['client/components/link.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'next/link', message: "Use '@/components/link' (no prefetch)." }] },
      ],
    },
  },
  prettier,
);
