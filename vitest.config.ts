import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One real kube-apiserver + etcd for the whole run (started only when the binary is built).
    globalSetup: ['test/infra/kube/global-setup.ts'],
    // Suites that start real servers share two cores; run files one at a time in forks so
    // a slow server start never competes with another suite's timing.
    pool: 'forks',
    fileParallelism: true,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default']
  }
})
