import { describe, expect, it } from 'vitest'
import { chaosMeshDriver, litmusDriver } from '../../src/chaos/drivers/index.js'
import { runSettings } from '../../src/chaos/stage.js'
import { ConfigError, parseConfig } from '../../src/config/load.js'

const config = (experiment: string) => `version: 1
chaos:
  experiments:
    - name: delay
      driver: chaos-mesh
      manifest: delay.yaml
${experiment}`

describe('selection timeout', () => {
  it('defaults per driver: Chaos Mesh min(30s, max(1s, duration/2)), Litmus duration + 3m', () => {
    expect(runSettings(chaosMeshDriver, 1_000).selectTimeoutMs).toBe(1_000)
    expect(runSettings(chaosMeshDriver, 20_000).selectTimeoutMs).toBe(10_000)
    expect(runSettings(chaosMeshDriver, 600_000).selectTimeoutMs).toBe(30_000)
    expect(runSettings(litmusDriver, 60_000)).toEqual({ selectTimeoutMs: 240_000, graceMs: 180_000, cleanupTimeoutMs: 200_000 })
  })

  it('uses the configured selectTimeout instead', () => {
    expect(runSettings(chaosMeshDriver, 600_000, 90_000)).toEqual({ selectTimeoutMs: 90_000, graceMs: 30_000, cleanupTimeoutMs: 30_000 })
    expect(runSettings(litmusDriver, 60_000, 45_000).selectTimeoutMs).toBe(45_000)
  })

  it('accepts a selectTimeout up to duration + the driver grace', () => {
    expect(parseConfig(config('      duration: 2m\n      selectTimeout: 2m30s\n'), 'c.yml').chaos!.experiments[0]!.selectTimeout).toBe('2m30s')
    expect(parseConfig(config('      driver: litmus\n      duration: 1m\n      selectTimeout: 4m\n').replace('      driver: chaos-mesh\n', ''), 'c.yml').chaos!.experiments[0]!.selectTimeout).toBe('4m')
  })

  it.each([
    ['      duration: 10s\n      selectTimeout: 1m\n', 8, 22, '1m is longer than the run can last (duration 10s + 30s grace for chaos-mesh), so it could never fire; use at most 40s'],
    ['      selectTimeout: 0s\n      duration: 10s\n', 7, 22, 'expected a duration longer than 0'],
  ])('refuses at load time a selectTimeout that could never fire (%#), naming the key at its line and column', (keys, line, column, message) => {
    let error: unknown
    try {
      parseConfig(config(keys), 'c.yml')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).issues).toEqual([{ path: 'c.yml', line, column, message: `chaos.experiments[0].selectTimeout: ${message}` }])
  })
})
