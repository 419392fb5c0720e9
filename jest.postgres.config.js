/**
 * Tests that need a PostgreSQL server (`npm run test:postgres`, with TEST_DATABASE_URL): the
 * BotStore conformance suite on PgBotStore, migrations and job claims across instances. They
 * fail (never skip) without a server; `scripts/with-postgres.sh` starts a throw-away one.
 */
module.exports = {
  testEnvironment: 'node',
  testEnvironmentOptions: { globalsCleanup: 'off' },
  roots: ['<rootDir>/test/postgres'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  testTimeout: 60000,
  // One file at a time: the multi-process tests start three bot processes each, and measure rates.
  maxWorkers: 1,
};
