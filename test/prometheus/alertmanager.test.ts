import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AlertmanagerClient, formatAlertMatcher, type Alert, type AlertMatcher } from '../../src/prometheus/alertmanager.js'
import { FaultServer } from '../infra/prometheus/fault-server.js'
import { ALERTMANAGER_BINARIES, createSilence, postAlerts, requireBinaries, startAlertmanager, type ServerProcess } from '../infra/prometheus/harness.js'
import { FAST_RETRY, rejectionOf } from './support.js'

const haveBinaries = requireBinaries(ALERTMANAGER_BINARIES, 'Alertmanager client tests')

const HOSTILE_SERVICE = 'a"b,c}\\d\nnew line, x="y"'

const AM_CONFIG = `route:
  receiver: blackhole
receivers:
  - name: blackhole
inhibit_rules:
  - source_matchers: ['alertname="ClusterDown"']
    target_matchers: ['severity="ticket"']
`

function names(alerts: Alert[]): string[] {
  return alerts.map((a) => a.labels.alertname ?? '').sort()
}

describe('formatAlertMatcher', () => {
  it('quotes values with only the escapes Alertmanager understands', () => {
    expect(formatAlertMatcher({ name: 'service', operator: '=', value: HOSTILE_SERVICE })).toBe('service="a\\"b,c}\\\\d\\nnew line, x=\\"y\\""')
    expect(formatAlertMatcher({ name: 'severity', operator: '!~', value: 'page|critical' })).toBe('severity!~"page|critical"')
  })

  it('rejects an invalid label name before anything is sent', () => {
    expect(() => formatAlertMatcher({ name: 'bad-name', operator: '=', value: 'x' })).toThrow(/"bad-name" is not a valid label name/)
  })
})

describe.skipIf(!haveBinaries)('AlertmanagerClient against a real Alertmanager 0.25', () => {
  let alertmanager: ServerProcess
  let client: AlertmanagerClient

  beforeAll(async () => {
    alertmanager = await startAlertmanager({ config: AM_CONFIG })
    client = new AlertmanagerClient({ url: alertmanager.url, retry: FAST_RETRY })
  })
  afterAll(async () => {
    await client?.close()
    await alertmanager?.stop()
  })

  it('returns a posted alert with its fields decoded', async () => {
    await postAlerts(alertmanager.url, [
      { labels: { case: 'decode', alertname: 'HighErrorRate', service: 'checkout' }, annotations: { summary: 'errors above 2%' } }
    ])
    const { alerts, attempts } = await client.getAlerts({ filter: [{ name: 'case', operator: '=', value: 'decode' }] })
    expect(attempts).toBe(1)
    expect(alerts).toHaveLength(1)
    const [alert] = alerts
    expect(alert?.labels).toEqual({ case: 'decode', alertname: 'HighErrorRate', service: 'checkout' })
    expect(alert?.annotations).toEqual({ summary: 'errors above 2%' })
    expect(alert?.status).toEqual({ state: 'active', silencedBy: [], inhibitedBy: [], mutedBy: [] })
    expect(alert?.receivers).toEqual(['blackhole'])
    expect(alert?.fingerprint).toMatch(/^[0-9a-f]{16}$/)
    expect(Date.parse(alert?.startsAt ?? '')).toBeGreaterThan(Date.now() - 60_000)
  })

  it('filters with =, !=, =~ and !~, including a value that tries to break the matcher syntax', async () => {
    await postAlerts(alertmanager.url, [
      { labels: { case: 'matchers', alertname: 'HighErrorRate', service: 'checkout', severity: 'page' } },
      { labels: { case: 'matchers', alertname: 'HighLatency', service: 'search', severity: 'ticket' } },
      { labels: { case: 'matchers', alertname: 'DiskFull', service: 'checkout', severity: 'page' } },
      { labels: { case: 'matchers', alertname: 'Weird', service: HOSTILE_SERVICE } }
    ])
    const query = async (...matchers: AlertMatcher[]): Promise<string[]> =>
      names((await client.getAlerts({ filter: [{ name: 'case', operator: '=', value: 'matchers' }, ...matchers] })).alerts)

    expect(await query()).toEqual(['DiskFull', 'HighErrorRate', 'HighLatency', 'Weird'])
    expect(await query({ name: 'service', operator: '=', value: 'checkout' })).toEqual(['DiskFull', 'HighErrorRate'])
    expect(await query({ name: 'service', operator: '!=', value: 'checkout' })).toEqual(['HighLatency', 'Weird'])
    expect(await query({ name: 'alertname', operator: '=~', value: 'High.*' })).toEqual(['HighErrorRate', 'HighLatency'])
    // A missing label is the empty string, which matches neither alternative.
    expect(await query({ name: 'severity', operator: '!~', value: 'page|ticket' })).toEqual(['Weird'])
    expect(
      await query({ name: 'service', operator: '=', value: 'checkout' }, { name: 'severity', operator: '=', value: 'page' }, { name: 'alertname', operator: '!=', value: 'DiskFull' })
    ).toEqual(['HighErrorRate'])
    expect(await query({ name: 'service', operator: '=', value: HOSTILE_SERVICE })).toEqual(['Weird'])
  })

  it('leaves out silenced alerts by default and includes them on request', async () => {
    await postAlerts(alertmanager.url, [
      { labels: { case: 'silence', alertname: 'Loud' } },
      { labels: { case: 'silence', alertname: 'Quiet' } }
    ])
    const silenceId = await createSilence(alertmanager.url, { case: 'silence', alertname: 'Quiet' })
    const filter: AlertMatcher[] = [{ name: 'case', operator: '=', value: 'silence' }]

    expect(names((await client.getAlerts({ filter })).alerts)).toEqual(['Loud'])
    const all = (await client.getAlerts({ filter, silenced: true })).alerts
    expect(names(all)).toEqual(['Loud', 'Quiet'])
    expect(all.find((a) => a.labels.alertname === 'Quiet')?.status).toMatchObject({ state: 'suppressed', silencedBy: [silenceId] })
  })

  it('leaves out inhibited alerts by default', async () => {
    await postAlerts(alertmanager.url, [
      { labels: { case: 'inhibit', alertname: 'ClusterDown', severity: 'page' } },
      { labels: { case: 'inhibit', alertname: 'SlowPage', severity: 'ticket' } }
    ])
    const filter: AlertMatcher[] = [{ name: 'case', operator: '=', value: 'inhibit' }]
    // The inhibitor learns about source alerts asynchronously; wait (bounded) until it has.
    let inhibited: Alert | undefined
    for (let i = 0; i < 100 && !inhibited; i++) {
      inhibited = (await client.getAlerts({ filter, inhibited: true })).alerts.find((a) => a.status.inhibitedBy.length > 0)
      if (!inhibited) await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(inhibited?.labels.alertname).toBe('SlowPage')
    expect(names((await client.getAlerts({ filter })).alerts)).toEqual(['ClusterDown'])
  })

  it('reports a regex Alertmanager refuses as bad_data after one request', async () => {
    const recorder = await FaultServer.start({ target: alertmanager.url })
    const viaRecorder = new AlertmanagerClient({ url: recorder.url, retry: FAST_RETRY })
    try {
      const error = await rejectionOf(viaRecorder.getAlerts({ filter: [{ name: 'alertname', operator: '=~', value: '(' }] }))
      expect(error).toMatchObject({ kind: 'bad_data', status: 400, attempts: 1 })
      expect(error.message).toMatch(/^Alertmanager GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\/alerts: HTTP 400: .*missing closing \)/)
      expect(recorder.requests).toHaveLength(1)
      expect(new URL(recorder.requests[0]?.url ?? '', 'http://x').searchParams.toString()).toBe(
        'active=true&silenced=false&inhibited=false&filter=alertname%3D%7E%22%28%22'
      )
    } finally {
      await viaRecorder.close()
      await recorder.close()
    }
  })

  it('turns a non-array answer into a garbage error and a dead server into a network error', async () => {
    const fault = await FaultServer.start({ fallback: { kind: 'respond', status: 200, body: '{"alerts":[]}' } })
    const viaFault = new AlertmanagerClient({ url: fault.url, retry: FAST_RETRY })
    try {
      expect(await rejectionOf(viaFault.getAlerts())).toMatchObject({ kind: 'garbage', message: expect.stringContaining('not a JSON array') })
    } finally {
      await viaFault.close()
      await fault.close()
    }
    const dead = new AlertmanagerClient({ url: fault.url, retry: { retries: 1, initialDelayMs: 1, maxDelayMs: 2 } })
    try {
      expect(await rejectionOf(dead.getAlerts())).toMatchObject({ kind: 'network', attempts: 2 })
    } finally {
      await dead.close()
    }
  })
})
