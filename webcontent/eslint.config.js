import js from '@eslint/js';
import globals from 'globals';

export default [
    { ignores: ['node_modules/**', 'vendor/**'] },
    js.configs.recommended,
    {
        files: ['core/**/*.js', 'app/**/*.js', 'telnet/**/*.js', 'bench/**/*.js'],
        languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.browser } },
    },
    {
        files: ['tests/**/*.js', 'tests/**/*.mjs', 'scripts/**/*.mjs', 'eslint.config.js'],
        languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node, ...globals.browser } },
    },
    {
        rules: {
            'no-console': 'error',
            'no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
            'prefer-const': 'error',
            'no-var': 'error',
            eqeqeq: ['error', 'always'],
            curly: 'error',
            'max-lines': ['warn', { max: 420, skipBlankLines: true, skipComments: true }],
        },
    },
    {
        // Command-line scripts report on the console.
        files: ['tests/e2e/**', 'scripts/**'],
        rules: { 'no-console': 'off' },
    },
];
