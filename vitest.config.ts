import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Relative to --dir: `npm run test:unit` scans src/, `npm run test:e2e` scans test/.
    include: ['**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // End-to-end tests each start their own server on a free port; files run in parallel.
    pool: 'forks',
    // The SDK warns that its 2027 releases need Node 22; the lockfile pins today's, which run on 20.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
