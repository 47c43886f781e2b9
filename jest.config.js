/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/test/bench/'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }],
  },
  snapshotSerializers: ['<rootDir>/test/support/asset-hash-serializer.ts'],
  testTimeout: 60000,
  // Many suites wait on servers (the RADOS Gateway's lifecycle days, Chromium, s3rver), so two workers beat one on 2 cores.
  maxWorkers: 2,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/temp-per-file.ts'],
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
};
