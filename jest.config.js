/**
 * Unit, integration and end-to-end tests: everything `npm test` runs needs nothing beyond `npm ci`
 * (the PostgreSQL tests are `npm run test:postgres`, jest.postgres.config.js).
 * ts-jest only transpiles (tsconfig.test.json); `npm test` type-checks src and test with tsc first,
 * once for the whole project instead of once per test file.
 */
module.exports = {
  testEnvironment: 'node',
  testEnvironmentOptions: { globalsCleanup: 'off' },
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/test/browser/', '/test/postgres/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  testTimeout: 30000,
};
