import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: integration tests start real servers and real rpm/dnf; more parallelism only thrashes.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
