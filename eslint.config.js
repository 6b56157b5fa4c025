// @ts-check
'use strict';
/**
 * ESLint, flat config (npm run lint:eslint). Formatting is prettier's job (lint:format), import direction
 * dependency-cruiser's (lint:imports); this file is about code.
 *
 *   engine/, nodes/, cli/  typescript-eslint recommended, type-aware (the whole run takes well under a minute).
 *   test/                  typescript-eslint recommended without type information: tests import the compiled
 *                          dist/, so type-aware rules there would depend on a build, and they poke at untyped
 *                          JSON on purpose.
 *   scripts/, *.js here    ESLint recommended, CommonJS on Node.js.
 * The editor .html files are not linted (browser script inside HTML).
 */
const js = require('@eslint/js');
const { defineConfig, globalIgnores } = require('eslint/config');
const tseslint = require('typescript-eslint');
const globals = require('globals');

// tsc's noUnusedParameters already exempts `_`-prefixed names; the lint agrees so a placeholder needs one spelling.
const unusedVars = ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }];

const typescriptRules = {
  '@typescript-eslint/no-unused-vars': unusedVars,
  // A Node-RED node constructor runs with `this` as the node and hands it to closures and helpers; naming it
  // `node` is Node-RED's own idiom. Any other alias of `this` is still reported.
  '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['node'] }],
};

module.exports = defineConfig(
  globalIgnores(['dist/', 'build/', 'node_modules/', 'bench/results/', '.cache/', 'coverage/', '.node-red-demo/']),
  {
    // A disable comment that disables nothing hides the next real suppression.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['engine/**/*.ts', 'nodes/**/*.ts', 'cli/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: __dirname },
    },
    rules: typescriptRules,
  },
  {
    files: ['test/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: { globals: { ...globals.node, ...globals.mocha } },
    rules: typescriptRules,
  },
  {
    files: ['scripts/**/*.js', '*.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', ecmaVersion: 2022, globals: globals.node },
    rules: { 'no-unused-vars': unusedVars },
  },
);
