import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'dist/**',
      '.data/**',
      '.toolchain/**',
      '.nx/**',
      'libs/contracts/src/generated/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // STYLE.md 2: services meet only through contracts; a service lib never imports another.
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: ['@gateway/platform/bootstrap'],
          depConstraints: [
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: ['type:service', 'type:platform', 'type:contracts', 'type:protocol'],
            },
            {
              sourceTag: 'type:service',
              onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:protocol'],
            },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts'] },
            { sourceTag: 'type:protocol', onlyDependOnLibsWithTags: ['type:protocol', 'type:contracts'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
            {
              sourceTag: 'type:testing',
              onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:protocol', 'type:testing'],
            },
            {
              sourceTag: 'type:e2e',
              onlyDependOnLibsWithTags: ['type:testing', 'type:platform', 'type:contracts', 'type:protocol'],
            },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            {
              sourceTag: 'scope:gateway',
              onlyDependOnLibsWithTags: [
                'scope:shared',
                'scope:ingress',
                'scope:auth',
                'scope:policy',
                'scope:registry',
                'scope:router',
                'scope:audit',
                'scope:telemetry',
              ],
            },
            ...['ingress', 'auth', 'policy', 'registry', 'router', 'audit', 'telemetry'].map((service) => ({
              sourceTag: `scope:${service}`,
              onlyDependOnLibsWithTags: ['scope:shared', `scope:${service}`],
            })),
          ],
        },
      ],
    },
  },
  {
    // STYLE.md 4: one messaging port; only its Kafka adapter talks to kafkajs.
    files: ['**/*.ts'],
    ignores: ['libs/platform/src/messaging/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'kafkajs',
              message: 'Publish and consume through the EventBus port of @gateway/platform.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/*.e2e-distributed-spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  prettier,
);
