import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PrometheusClient, type InstantSeries } from '../../src/prometheus/client.js'
import { escapeRegex, escapeStringContent, labelMatcher, QueryTemplateError, quoteString, renderQuery } from '../../src/prometheus/promql.js'
import { PROMETHEUS_BINARIES, requireBinaries, type ServerProcess } from '../infra/prometheus/harness.js'
import { AFTER_SHIFT, HOSTILE_VALUES } from './fixture.js'
import { startFixturePrometheus } from './support.js'

const haveBinaries = requireBinaries(PROMETHEUS_BINARIES, 'PromQL escaping against the real parser')

function templateError(fn: () => unknown): QueryTemplateError {
  try {
    fn()
  } catch (error) {
    if (error instanceof QueryTemplateError) return error
    throw error
  }
  throw new Error('expected a QueryTemplateError')
}

describe('PromQL escaping', () => {
  it('escapes backslashes, the quote and control characters in string literals', () => {
    expect(quoteString('a"b\\c\nd\te\r\u0001\u007f')).toBe('"a\\"b\\\\c\\nd\\te\\r\\x01\\x7f"')
    // Only the literal's own quote may be escaped: \' inside "…" is a PromQL parse error.
    expect(escapeStringContent(`it's "x"`, "'")).toBe(`it\\'s "x"`)
    expect(escapeStringContent('raw \\ "x"', '`')).toBe('raw \\ "x"')
    expect(() => escapeStringContent('a`b', '`')).toThrow(/backtick/)
    expect(() => quoteString('\ud800')).toThrow(/unpaired UTF-16 surrogate/)
    expect(quoteString('snow ☃ 𝄞')).toBe('"snow ☃ 𝄞"')
  })

  it('escapes every RE2 metacharacter', () => {
    expect(escapeRegex('a.b*c+d?e(f)g|h[i]j{k}l^m$n\\o')).toBe('a\\.b\\*c\\+d\\?e\\(f\\)g\\|h\\[i\\]j\\{k\\}l\\^m\\$n\\\\o')
  })

  it('builds label matchers and refuses invalid label names', () => {
    expect(labelMatcher('job', '=~', escapeRegex('api.v1'))).toBe('job=~"api\\\\.v1"')
    expect(() => labelMatcher('job"} or vector(1)', '=', 'x')).toThrow(/not a valid PromQL label name/)
  })
})

describe('renderQuery', () => {
  it('escapes each value for the literal it lands in', () => {
    const vars = { service: 'a"b', pattern: 'a.b', window: '5m', quantile: 0.99 }
    expect(renderQuery('histogram_quantile({{ quantile }}, rate(x{svc="{{ service }}", re=~"{{pattern}}.*"}[{{ window }}]))', vars)).toBe(
      'histogram_quantile(0.99, rate(x{svc="a\\"b", re=~"a\\\\.b.*"}[5m]))'
    )
    expect(renderQuery(`x{svc='{{ service }}', re!~'{{ pattern }}', raw=\`{{ pattern }}\`}`, vars)).toBe(`x{svc='a"b', re!~'a\\\\.b', raw=\`a.b\`}`)
  })

  it('regex-escapes with the regex filter and joins lists into a grouped alternation', () => {
    expect(renderQuery('label_replace(v, "dst", "$1", "src", "{{ p | regex }}")', { p: '(.*)' })).toBe('label_replace(v, "dst", "$1", "src", "\\\\(\\\\.\\\\*\\\\)")')
    expect(renderQuery('x{job=~"{{ jobs }}-canary"}', { jobs: ['api', 'web.v2'] })).toBe('x{job=~"(?:api|web\\\\.v2)-canary"}')
  })

  it('does not rescan inserted values, so {{ in a value stays text', () => {
    expect(renderQuery('x{a="{{ a }}", b="{{ b }}"}', { a: '{{ b }}', b: 'B' })).toBe('x{a="{{ b }}", b="B"}')
  })

  it('keeps an escaped quote in the template inside its literal', () => {
    expect(renderQuery('x{a="say \\"{{ v }}\\""}', { v: '"' })).toBe('x{a="say \\"\\"\\""}')
  })

  it.each([
    ['a value that is not a single token outside quotes', 'rate(x[{{ w }}])', { w: '5m]) or vector(1' }, 1, 8, /only a number, a duration \(5m\) or a metric\/label name/],
    ['a keyword outside quotes', 'x {{ op }} y', { op: 'or' }, 1, 3, /"or" is a PromQL keyword/],
    ['a list outside a regex', 'x{a="{{ v }}"}', { v: ['a', 'b'] }, 1, 6, /a list is only allowed inside a regex string/],
    ['an unknown variable', 'up\n  + x{a="{{ nope }}"}', { v: 'x' }, 2, 10, /unknown variable "nope"; known: v/],
    ['a placeholder in a comment', 'up # {{ v }}', { v: 'x' }, 1, 6, /inside a # comment/],
    ['a malformed placeholder', 'x{a="{{ v-1 }}"}', { v: 'x' }, 1, 6, /expected a placeholder like \{\{ name \}\}/],
    ['an unknown filter', 'x{a="{{ v | upper }}"}', { v: 'x' }, 1, 6, /unknown filter "upper"/]
  ])('rejects %s with its position', (_name, template, vars, line, column, message) => {
    const error = templateError(() => renderQuery(template, vars, { source: '.release-gate.yml gates.checks[0].query' }))
    expect({ line: error.line, column: error.column }).toEqual({ line, column })
    expect(error.message).toMatch(new RegExp(`^\\.release-gate\\.yml gates\\.checks\\[0\\]\\.query:${line}:${column}: `))
    expect(error.message).toMatch(message)
  })

  it('accepts numbers, durations and metric names outside quotes', () => {
    expect(renderQuery('{{ m }} > {{ t }} offset {{ o }}', { m: 'http_requests:rate5m', t: -1.5e-3, o: '1h30m' })).toBe('http_requests:rate5m > -0.0015 offset 1h30m')
  })
})

describe.skipIf(!haveBinaries)('rendered queries keep their structure in the real Prometheus parser', () => {
  let prometheus: ServerProcess
  let client: PrometheusClient

  beforeAll(async () => {
    prometheus = await startFixturePrometheus()
    client = new PrometheusClient({ url: prometheus.url })
  })
  afterAll(async () => {
    await client?.close()
    await prometheus?.stop()
  })

  async function vector(query: string): Promise<InstantSeries[]> {
    const { data } = await client.query(query, { time: AFTER_SHIFT })
    if (data.resultType !== 'vector') throw new Error(`${query} gave ${data.resultType}`)
    return data.result
  }

  it.each(HOSTILE_VALUES.map((v) => [JSON.stringify(v), v]))('equality matcher with %s selects exactly that series', async (_name, value) => {
    const series = await vector(renderQuery('fixture_label_probe{value="{{ v }}"}', { v: value }))
    expect(series.map((s) => s.metric.value)).toEqual([value])
  })

  it.each(HOSTILE_VALUES.map((v) => [JSON.stringify(v), v]))('regex matcher with %s matches it literally and nothing else', async (_name, value) => {
    const series = await vector(renderQuery('fixture_label_probe{value=~"{{ v }}"}', { v: value }))
    expect(series.map((s) => s.metric.value)).toEqual([value])
  })

  it.each(HOSTILE_VALUES.filter((v) => !v.includes('`')).map((v) => [JSON.stringify(v), v]))(
    'absent() echoes %s unchanged from "…", \'…\' and `…` literals, with no injected series',
    async (_name, value) => {
      for (const template of [
        'absent(no_such_metric{probe="{{ v }}"})',
        "absent(no_such_metric{probe='{{ v }}'})",
        'absent(no_such_metric{probe=`{{ v }}`})'
      ]) {
        const series = await vector(renderQuery(template, { v: value }))
        expect(series).toEqual([{ metric: { probe: value }, timestamp: AFTER_SHIFT, value: 1 }])
      }
    }
  )

  it('a regex prefix match and a list alternation stay within their group', async () => {
    const prefix = await vector(renderQuery('fixture_label_probe{value=~"{{ v }}.*"}', { v: 'a.' }))
    // 'a.b' starts with "a."; 'axb' and 'anything' would match if the dot were not escaped.
    expect(prefix.map((s) => s.metric.value).sort()).toEqual(['a.b'])
    const list = await vector(renderQuery('fixture_label_probe{value=~"{{ vs }}"}', { vs: ['.*', '"}', 'xyz'] }))
    expect(list.map((s) => s.metric.value).sort()).toEqual(['"}', '.*', 'xyz'])
  })

  it('the regex filter makes label_replace match a hostile value literally', async () => {
    for (const value of HOSTILE_VALUES) {
      const series = await vector(renderQuery('label_replace(absent(no_such_metric{src="{{ v }}"}), "hit", "yes", "src", "{{ v | regex }}")', { v: value }))
      expect(series[0]?.metric).toEqual({ src: value, hit: 'yes' })
    }
  })
})
