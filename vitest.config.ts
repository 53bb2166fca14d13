import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/workers runs inside workerd: `npm run test:workers` (vitest.workers.config.ts).
    exclude: ['test/workers/**', '**/node_modules/**'],
    pool: 'forks',
    // The web app's client (dist/web), built as `npm start` builds it, for the pages the tests open.
    globalSetup: ['test/web/panel-build.setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // A page's answer under a full parallel run on 2 cores can take longer than expect.poll's default second.
    expect: { poll: { timeout: 5_000 } },
  },
});
