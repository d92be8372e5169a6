// Unit tests beside the code; e2e tests in test/ against a fresh SQLite file per test file, and the
// same e2e suite again against MySQL/MariaDB when TEST_DATABASE_URL is set.
const swaggerPlugin = { path: '<rootDir>/test/setup/swagger-transformer.js' };
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', astTransformers: { before: [swaggerPlugin] } }],
};
const base = { moduleFileExtensions: ['js', 'json', 'ts'], rootDir: __dirname, testEnvironment: 'node', transform };

const e2e = (name, setupFile, extra = {}) => ({
  ...base,
  displayName: name,
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  setupFiles: [setupFile],
  ...extra,
});

const projects = [
  { ...base, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/scripts/**/*.spec.ts', '<rootDir>/clients/**/*.spec.ts'] },
  e2e('e2e-sqlite', '<rootDir>/test/setup/sqlite.env.ts'),
];
if (process.env.TEST_DATABASE_URL) {
  projects.push(
    e2e('e2e-mysql', '<rootDir>/test/setup/mysql.env.ts', {
      globalSetup: '<rootDir>/test/setup/mysql.global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/mysql.global-teardown.ts',
    }),
  );
}

// A three-node Galera Cluster (scripts/galera-cluster.sh): its own suite, with one app process per node.
if (process.env.GALERA_URLS) {
  projects.push({
    ...base,
    displayName: 'e2e-galera',
    testMatch: ['<rootDir>/test/galera/**/*.galera-spec.ts'],
    setupFiles: ['<rootDir>/test/setup/galera.env.ts'],
    globalSetup: '<rootDir>/test/setup/galera.global-setup.ts',
    globalTeardown: '<rootDir>/test/setup/galera.global-teardown.ts',
  });
}

module.exports = { projects, testTimeout: 60000 };
