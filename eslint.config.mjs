import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const services = ['ingress', 'auth', 'policy', 'registry', 'router', 'audit', 'telemetry'];

/** STYLE.md 2: services meet only through contracts; a service lib never imports another. */
function moduleBoundaries(inTests) {
  const testing = inTests ? ['type:testing'] : [];
  return {
    enforceBuildableLibDependency: false,
    allow: ['@gateway/platform/bootstrap'],
    depConstraints: [
      {
        sourceTag: 'type:app',
        onlyDependOnLibsWithTags: ['type:service', 'type:platform', 'type:contracts', 'type:protocol'],
      },
      {
        sourceTag: 'type:service',
        onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:protocol', ...testing],
      },
      {
        sourceTag: 'type:platform',
        onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', ...testing],
      },
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
        onlyDependOnLibsWithTags: ['scope:shared', ...services.map((service) => `scope:${service}`)],
      },
      ...services.map((service) => ({
        sourceTag: `scope:${service}`,
        onlyDependOnLibsWithTags: ['scope:shared', `scope:${service}`],
      })),
    ],
  };
}

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
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries(false)],
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
    // Tests of a service may use the shared test fixtures; its production code may not.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/*.e2e-distributed-spec.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries(true)],
    },
  },
  prettier,
);
