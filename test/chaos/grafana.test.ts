import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { annotateExperiment, type ExperimentAnnotation, type GrafanaConfig } from '../../src/chaos/grafana.js'
import { startConnectProxy } from '../infra/prometheus/fault-server.js'
import { GrafanaFixture } from './grafana-server.js'

const TOKEN = 'glsa_test_0123456789abcdef'
const annotation: ExperimentAnnotation = {
  experiment: 'net-delay', kind: 'NetworkChaos', target: 'shop/net-delay-abc123 → shop, blast radius fixed 1',
  verdict: 'fail', reason: 'SLO guard breached — error-rate: fail (value 0.42, max 0.05)', startMs: 1_700_000_000_000, endMs: 1_700_000_004_500,
}

describe('Grafana annotation of an experiment', () => {
  let grafana: GrafanaFixture
  beforeAll(async () => {
    grafana = await GrafanaFixture.start()
  })
  afterAll(async () => {
    await grafana?.close()
  })

  const config = (over: Partial<GrafanaConfig> = {}): GrafanaConfig => ({ url: `${grafana.url}/grafana`, token: { env: 'GRAFANA_TOKEN' }, tags: [], timeout: '2s', ...over })

  it('goes through HTTP_PROXY when one is set, as the Prometheus and GitHub clients do', async () => {
    const proxy = await startConnectProxy(Number(new URL(grafana.url).port))
    const saved = process.env.HTTP_PROXY
    process.env.HTTP_PROXY = proxy.url
    try {
      grafana.answer = { status: 200, body: { message: 'Annotation added' } }
      const before = grafana.requests.length
      // A made-up host: only the proxy, which tunnels to the fixture, can reach it.
      const result = await annotateExperiment(config({ url: 'http://grafana.test.invalid:3000' }), annotation, { baseDir: '.', env: { GRAFANA_TOKEN: TOKEN } })
      expect(result).toMatchObject({ ok: true })
      expect(proxy.connects).toEqual(['grafana.test.invalid:3000'])
      expect(grafana.requests[before]).toMatchObject({ method: 'POST', path: '/api/annotations' })
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY
      else process.env.HTTP_PROXY = saved
      await proxy.close()
    }
  })

  it('POSTs a region annotation under the sub-path of the base URL, with the token as Bearer', async () => {
    grafana.answer = { status: 200, body: { message: 'Annotation added' } }
    const before = grafana.requests.length
    const result = await annotateExperiment(config({ dashboardUID: 'shop-overview', tags: ['team:shop', 'chaos_injected'] }), annotation, { baseDir: '.', env: { GRAFANA_TOKEN: TOKEN } })
    expect(result).toMatchObject({ ok: true, time: annotation.startMs, timeEnd: annotation.endMs })
    const request = grafana.requests[before]!
    expect(request).toMatchObject({ method: 'POST', path: '/grafana/api/annotations' })
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(request.headers['content-type']).toBe('application/json')
    expect(JSON.parse(request.body)).toEqual({
      time: annotation.startMs,
      timeEnd: annotation.endMs,
      // A tag the user repeats is sent once.
      tags: ['chaos_injected', 'release-gate', 'experiment:net-delay', 'verdict:fail', 'team:shop'],
      text: 'chaos experiment net-delay: NetworkChaos shop/net-delay-abc123 → shop, blast radius fixed 1 — FAIL: SLO guard breached — error-rate: fail (value 0.42, max 0.05)',
      dashboardUID: 'shop-overview',
    })
  })

  it('reads the token from a file, as the Prometheus auth does', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rg-grafana-'))
    writeFileSync(path.join(dir, 'token'), `${TOKEN}\n`)
    grafana.answer = { status: 200, body: { message: 'Annotation added' } }
    const result = await annotateExperiment(config({ token: { file: 'token' } }), annotation, { baseDir: dir, env: {} })
    expect(result.ok).toBe(true)
    expect(grafana.requests.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`)
  })

  it('reports a missing token without sending anything', async () => {
    const before = grafana.requests.length
    const result = await annotateExperiment(config(), annotation, { baseDir: '.', env: {} })
    expect(result).toMatchObject({ ok: false, error: 'chaos.grafana.token: environment variable GRAFANA_TOKEN is not set or empty' })
    expect(grafana.requests.length).toBe(before)
  })

  it('reports a refusal with its status and help, and never the token, even when Grafana echoes it', async () => {
    grafana.answer = { status: 403, body: { message: `permissions needed: annotations:create for ${TOKEN}` } }
    const result = await annotateExperiment(config(), annotation, { baseDir: '.', env: { GRAFANA_TOKEN: TOKEN } })
    expect(result).toEqual({
      ok: false,
      error: 'Grafana refused the annotation: 403 Forbidden: permissions needed: annotations:create for ***',
      help: "the token's service account may not create annotations: give it the Editor role or the annotations:create permission",
    })
  })

  it('gives up after its timeout when Grafana does not answer', async () => {
    grafana.answer = 'hang'
    const started = Date.now()
    const result = await annotateExperiment(config({ timeout: '300ms' }), annotation, { baseDir: '.', env: { GRAFANA_TOKEN: TOKEN } })
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(result).toMatchObject({ ok: false, error: `could not reach Grafana at ${grafana.url}/grafana/api/annotations: no answer within 300ms` })
  })
})
