import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['services/*/test/**/*.test.ts'],
          // Some unit tests start the built server as a real process.
          globalSetup: ['test/setup/build.ts'],
        },
      },
    ],
  },
});
