/** Shared setup for the gate suites: configs written to a temp dir, contexts, clients. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { RunOptions } from '../../src/commands.js'
import { parseConfig } from '../../src/config/load.js'
import type { Config } from '../../src/config/schema.js'
import { loopSettings } from '../../src/gates/loop.js'
import { prepareGate, type MeasureContext, type PreparedGate } from '../../src/gates/measure.js'
import type { StageContext } from '../../src/pipeline.js'
import { PrometheusClient } from '../../src/prometheus/client.js'
import { configText, INTERVAL, LOOP_START } from './fixture.js'

/** Fast retries so fault tests take milliseconds; jitter and doubling still apply. */
export const FAST_RETRY = { retries: 2, initialDelayMs: 5, maxDelayMs: 20 }

export const CONFIG_NAME = '.release-gate.yml'

const tempDirs: string[] = []

/** Removes the directories stageContext made; call it in afterAll. */
export function removeTempConfigs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
}

/** Writes the config into a fresh directory and returns the context the pipeline would build. */
export function stageContext(text: string, env: NodeJS.ProcessEnv = {}): StageContext & { dir: string; config: Config } {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-gates-'))
  tempDirs.push(dir)
  writeFileSync(path.join(dir, CONFIG_NAME), text)
  const options: RunOptions = { cwd: dir, configPath: CONFIG_NAME, configRequired: true, dryRun: false, format: 'json', runId: 'run-42', env }
  return { dir, config: parseConfig(text, CONFIG_NAME), baseDir: dir, options }
}

/** The prepared gates of a `gates:` body, as the stage prepares them. */
export function preparedGates(gatesBody: string): { gates: PreparedGate[]; config: Config } {
  const config = parseConfig(configText(gatesBody), CONFIG_NAME)
  return { config, gates: config.gates!.checks.map((g, i) => prepareGate(g, i)) }
}

export function settingsOf(gatesBody: string) {
  return loopSettings(parseConfig(configText(gatesBody), CONFIG_NAME).gates!)
}

export function measureContext(prometheus: PrometheusClient, scenario: string, windowStart = LOOP_START): MeasureContext {
  return { sources: { prometheus }, variables: { scenario, runId: 'run-42' }, intervalSeconds: INTERVAL, windowStart, source: CONFIG_NAME }
}

export function client(url: string, timeoutMs?: number): PrometheusClient {
  return new PrometheusClient({ url, retry: FAST_RETRY, ...(timeoutMs ? { timeoutMs } : {}) })
}
