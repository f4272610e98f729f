// Test tiers (STYLE.md): unit beside the code, integration against real Postgres/Kafka/MCP
// servers, end-to-end against the whole topology from the outside. `npm run test:<tier>`.
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleNameMapper: {
    '^@gateway/platform/bootstrap$': '<rootDir>/libs/platform/src/observability/telemetry-bootstrap.ts',
    '^@gateway/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
  },
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.data/', '<rootDir>/.toolchain/'],
};

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,tools}/**/*.spec.ts'] },
    { ...shared, displayName: 'integration', testMatch: ['<rootDir>/libs/**/*.int-spec.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/apps/gateway-e2e/src/**/*.e2e-spec.ts'] },
    {
      ...shared,
      displayName: 'e2e-distributed',
      testMatch: ['<rootDir>/apps/gateway-e2e/src/**/*.e2e-distributed-spec.ts'],
    },
  ],
};
