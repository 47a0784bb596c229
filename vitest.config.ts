import { defineConfig } from 'vitest/config';

// Tests run the shared package from its source (its "source" export condition); images use its dist.
const conditions = ['source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['source'] } },
  test: {
    // Two unit files at a time (vitest's default on 2 cores is one).
    maxWorkers: 2,
    // CI reads the counts from a JSON report (see .ci/run); people read the default one.
    reporters: process.env.VITEST_RESULTS
      ? ['default', ['json', { outputFile: process.env.VITEST_RESULTS }]]
      : ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          // First: a broken unit shows before minutes of containers.
          sequence: { groupOrder: 0 },
          include: [
            'services/*/test/**/*.test.ts',
            'perf/test/**/*.test.ts',
            'test/contract/**/*.test.ts',
            'packages/*/test/**/*.test.ts',
          ],
          // Some unit tests start the built server as a real process.
          globalSetup: ['test/setup/build.ts'],
          // A deadline for a broken test, not a speed: these machines are shared.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          sequence: { groupOrder: 1 },
          include: ['test/e2e/**/*.test.ts'],
          exclude: ['test/e2e/swarm.test.ts', 'test/e2e/cluster.test.ts'],
          // Real containers: one lab for all files, one file at a time. It starts while the unit
          // tests run; each file waits for it (ready.ts).
          globalSetup: ['test/e2e/stack.ts'],
          setupFiles: ['test/e2e/ready.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: 'swarm',
          // Last: when it has to start a swarm, it leaves it again at the end, and on Docker 20.10
          // leaving a swarm breaks name resolution in bridge networks made before (the compose
          // lab's). Nothing that needs the compose lab's DNS may come after it. The cluster file
          // runs beside it, in a second worker; the swarm file leaves only once it is done
          // (clusterFile in test/e2e/lab.ts).
          sequence: { groupOrder: 2 },
          include: ['test/e2e/swarm.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: 'cluster',
          // Beside the swarm file, after the e2e files: vitest runs the projects of one group in
          // one pool, and the e2e files' one worker would run it among them, one after another
          // (docs/testing.md). Its nodes are machines of their own that load this one's two cores.
          sequence: { groupOrder: 2 },
          include: ['test/e2e/cluster.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
