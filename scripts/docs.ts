// The README's reference tables and the JSON Schema, generated from the code so they are never written twice.
import { parse } from 'yaml'
import { COMMANDS, GLOBAL_OPTIONS } from '../src/cli/commands.js'
import { jsonSchema } from '../src/config/json-schema.js'
import { EXIT, EXIT_MEANING } from '../src/errors.js'
import { gateKinds } from '../src/gates/kinds/index.js'
import { admissionRules } from '../src/chaos/admission/rules.js'
import { CHAOS_RULES } from '../src/chaos/stage.js'
import { LINT_RULES } from '../src/contract/rules/registry.js'
import { breakingRules } from '../src/contract/rules/breaking/index.js'
import { restRules } from '../src/contract/rest/rules.js'
import { policyRules } from '../src/contract/policy/rules.js'
import { z } from 'zod'

type Schema = {
  type?: string | string[]
  description?: string
  default?: unknown
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  anyOf?: Schema[]
  oneOf?: Schema[]
  enum?: unknown[]
  const?: unknown
  additionalProperties?: Schema | boolean
  pattern?: string
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')

function typeOf(s: Schema): string {
  if (s.const !== undefined) return `\`${JSON.stringify(s.const)}\``
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' \\| ')
  const alts = s.anyOf ?? s.oneOf
  if (alts) return alts.map(typeOf).join(' \\| ')
  if (s.type === 'array') return `list of ${s.items ? typeOf(s.items) : 'any'}`
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') return `map of ${typeOf(s.additionalProperties)}`
  return Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? 'any')
}

/** One row per key path; gate kinds are listed in their own table. */
function configRows(schema: Schema, prefix: string, rows: string[]): string[] {
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if (key === '$schema') continue
    const keyPath = prefix ? `${prefix}.${key}` : key
    const required = schema.required?.includes(key) ? ' (required)' : ''
    const def = prop.default === undefined ? '' : `\`${JSON.stringify(prop.default)}\``
    const isGateList = keyPath === 'gates.checks'
    const type = isGateList ? 'list of gates (see Gate kinds)' : typeOf(prop)
    rows.push(`| \`${keyPath}\`${required} | ${type} | ${def} | ${cell(prop.description ?? '')} |`)
    if (isGateList) continue
    if (prop.properties) configRows(prop, keyPath, rows)
    else if (prop.items?.properties) configRows(prop.items, `${keyPath}[]`, rows)
    else if (typeof prop.additionalProperties === 'object' && prop.additionalProperties.properties)
      configRows(prop.additionalProperties, `${keyPath}.<name>`, rows)
  }
  return rows
}

function configReference(): string {
  return ['| key | type | default | description |', '| --- | --- | --- | --- |', ...configRows(jsonSchema() as Schema, '', [])].join('\n')
}

function gateKindTable(): string {
  const rows = gateKinds.map((k) => {
    const shape = (z.toJSONSchema(k.config, { io: 'input', unrepresentable: 'any' }) as Schema).properties ?? {}
    const fields = Object.keys(shape)
      .filter((f) => !['name', 'kind', 'description', 'critical', 'noData', 'minSamples'].includes(f))
      .map((f) => `\`${f}\``)
      .join(', ')
    return `| \`${k.kind}\` | ${cell(k.purpose)} | ${fields} |`
  })
  return [
    'Every gate also takes `name`, `description`, `critical`, `noData` (`fail` | `inconclusive` | `pass`) and `minSamples`.',
    '',
    '| kind | purpose | fields |',
    '| --- | --- | --- |',
    ...rows
  ].join('\n')
}

function commandTable(): string {
  return [
    '| command | what it does |',
    '| --- | --- |',
    ...COMMANDS.map((c) => `| \`release-gate ${c.words.join(' ')}${c.args ? ` ${c.args}` : ''}\` | ${cell(c.summary)} |`),
    '| `release-gate schema` | print the JSON Schema of .release-gate.yml |',
    '',
    'Options for every command:',
    '',
    '| option | meaning |',
    '| --- | --- |',
    ...Object.entries(GLOBAL_OPTIONS).map(([name, o]) => `| \`${o.short ? `-${o.short}, ` : ''}--${name}${o.value ? ` ${o.value}` : ''}\` | ${cell(o.description)} |`)
  ].join('\n')
}

function exitCodeTable(): string {
  return ['| code | meaning |', '| --- | --- |', ...Object.entries(EXIT).map(([k, code]) => `| ${code} | ${EXIT_MEANING[k as keyof typeof EXIT]} |`)].join('\n')
}

function actionTables(actionYml: string): string {
  const action = parse(actionYml) as { inputs: Record<string, { description: string; default?: string }>; outputs: Record<string, { description: string }> }
  return [
    '| input | default | description |',
    '| --- | --- | --- |',
    ...Object.entries(action.inputs).map(([name, i]) => `| \`${name}\` | ${i.default === undefined ? '' : `\`${i.default}\``} | ${cell(i.description)} |`),
    '',
    '| output | description |',
    '| --- | --- |',
    ...Object.entries(action.outputs).map(([name, o]) => `| \`${name}\` | ${cell(o.description)} |`)
  ].join('\n')
}

function replaceRegion(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`
  const end = `<!-- ${name}:end -->`
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  if (from < 0 || to < from) throw new Error(`README.md: missing the ${start} … ${end} region`)
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`
}

function ruleTable(rules: readonly { id: string; categories: readonly string[]; default: boolean; purpose: string; deprecated?: boolean }[]): string {
  return [
    '| ID | categories (buf v2) | default | purpose |',
    '| --- | --- | --- | --- |',
    ...rules.map((r) => `| \`${r.id}\` | ${r.deprecated ? '(deprecated)' : r.categories.join(', ')} | ${r.default ? 'yes' : ''} | ${cell(r.purpose)} |`)
  ].join('\n')
}

/** docs/rules.md: every rule of every stage, from the registries. */
function rulesDoc(): string {
  return [
    '# release-gate rules',
    '',
    'Generated from the rule registries by `npm run gen`; do not edit by hand.',
    '',
    '## Contract: lint (buf\'s IDs, categories and defaults)',
    '',
    'PROTOVALIDATE needs a CEL compiler, which release-gate does not have yet: when a linted file uses `buf.validate` options the rule is reported as not run (a warning), never as passed.',
    '',
    ruleTable(LINT_RULES),
    '',
    '## Contract: breaking changes (buf\'s IDs, categories and defaults)',
    '',
    ruleTable(breakingRules),
    '',
    '## Contract: REST/JSON surface (google.api.http; `contract check`)',
    '',
    'buf checks no custom option, so a changed route passes `buf breaking`; these rules compare the routes gRPC-Gateway derives. Path templates are compared by structure, not by variable names. Adding a binding is not a break.',
    '',
    ruleTable(restRules),
    '',
    '## Contract: evolution policy (`contract check`)',
    '',
    ruleTable(policyRules),
    '',
    '## Chaos: admission policy',
    '',
    '| ID | purpose |',
    '| --- | --- |',
    ...admissionRules.map((r) => `| \`${r.id}\` | ${cell(r.purpose)} |`),
    '',
    '## Chaos: run',
    '',
    '| ID | purpose |',
    '| --- | --- |',
    ...Object.entries(CHAOS_RULES).filter(([id]) => !admissionRules.some((r) => r.id === id)).map(([id, r]) => `| \`${id}\` | ${cell(r.purpose)} |`),
    '',
    '## Gates: kinds',
    '',
    gateKindTable(),
    ''
  ].join('\n')
}

/** Every generated file with the content it must have; `read` supplies the current README and action.yml. */
export function generatedFiles(read: (file: string) => string): Record<string, string> {
  let readme = read('README.md')
  readme = replaceRegion(readme, 'commands', commandTable())
  readme = replaceRegion(readme, 'exit-codes', exitCodeTable())
  readme = replaceRegion(readme, 'action', actionTables(read('action.yml')))
  readme = replaceRegion(readme, 'config', configReference())
  readme = replaceRegion(readme, 'gate-kinds', gateKindTable())
  readme = replaceRegion(readme, 'release-workflow', ['```yaml', read('workflows/release-branch.yml').trimEnd(), '```'].join('\n'))
  return {
    'schema/release-gate.schema.json': JSON.stringify(jsonSchema(), null, 2) + '\n',
    'README.md': readme,
    'docs/rules.md': rulesDoc()
  }
}
