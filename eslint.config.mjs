import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/**', '.bench-tmp/**', 'bench/profiles/**', 'node_modules/**', 'coverage/**', 'data/**', 'test-artifacts/**', 'eslint.config.mjs', '.dependency-cruiser.js', 'jest.config.js', 'scripts/*.js', 'test/setup/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/require-await': 'error',
      eqeqeq: ['error', 'always'],
      curly: ['error', 'multi-line'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  // The seat picker's browser scripts (src/picker/): plain ES modules outside the TypeScript project.
  {
    files: ['src/picker/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'module',
      globals: Object.fromEntries(
        [
          ...['document', 'fetch', 'history', 'location', 'sessionStorage', 'EventSource', 'TextEncoder'],
          ...['URLSearchParams', 'Option', 'btoa', 'unescape', 'setInterval', 'clearInterval'],
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
);
