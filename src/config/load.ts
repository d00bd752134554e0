import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml'
import type { z } from 'zod'
import { configSchema, type Config } from './schema.js'

export interface ConfigIssue {
  path: string
  line: number
  column: number
  message: string
}

/** Bad config: every problem with its file:line:col, so the CLI can exit 2 and annotate each. */
export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map((i) => `${i.path}:${i.line}:${i.column}: ${i.message}`).join('\n'))
    this.name = 'ConfigError'
  }
}

export const DEFAULT_CONFIG_PATH = '.release-gate.yml'

/** Loads and validates a config; `shownAs` is the path errors name (relative to the working directory). */
export async function loadConfigFile(file: string, shownAs = file): Promise<Config> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message
    throw new ConfigError([{ path: shownAs, line: 1, column: 1, message: `cannot read config: ${reason}` }])
  }
  return parseConfig(text, shownAs)
}

export function parseConfig(text: string, file: string): Config {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col }
  }
  const yamlProblems = [...doc.errors, ...doc.warnings]
  if (yamlProblems.length > 0) {
    throw new ConfigError(yamlProblems.map((e) => ({ path: file, ...at(e.pos[0]), message: `YAML: ${firstLine(e.message)}` })))
  }
  const parsed = configSchema.safeParse(doc.toJS() ?? {}, { reportInput: true })
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues.map((issue) => ({ path: file, ...at(offsetOf(doc, issue)), message: describeIssue(issue) }))
  throw new ConfigError(issues.sort((a, b) => a.line - b.line || a.column - b.column))
}

/**
 * The YAML node an issue is about. A missing key has no node: point at the key of the mapping that
 * should hold it (`rollout:`), not at that mapping's first entry.
 */
function offsetOf(doc: Document, issue: z.core.$ZodIssue): number {
  const keyPath = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))
  for (let depth = keyPath.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(keyPath.slice(0, depth), true)
    if (!isNode(node) || !node.range) continue
    if (depth < keyPath.length && depth > 0) {
      const parent = depth === 1 ? doc.contents : doc.getIn(keyPath.slice(0, depth - 1), true)
      const key = isMap(parent) ? parent.items.find((it) => isScalar(it.key) && it.key.value === keyPath[depth - 1])?.key : undefined
      if (isNode(key) && key.range) return key.range[0]
    }
    // An unknown key is reported on its parent; point at the key itself.
    if (issue.code === 'unrecognized_keys' && depth === keyPath.length && isMap(node)) {
      const pair = node.items.find((it) => isScalar(it.key) && issue.keys.includes(String(it.key.value)))
      if (pair && isNode(pair.key) && pair.key.range) return pair.key.range[0]
    }
    return node.range[0]
  }
  return 0
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? `${formatKeyPath(issue.path)}: ` : ''
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${where}unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`
    case 'invalid_type':
      return issue.input === undefined
        ? `${where}missing required value (expected ${issue.expected})`
        : `${where}expected ${issue.expected}, got ${describeValue(issue.input)}`
    case 'invalid_value':
      if (issue.input === undefined) return `${where}missing required value (expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')})`
      return `${where}expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(issue.input)}`
    case 'invalid_union':
      if ('discriminator' in issue && issue.discriminator)
        return `${where}unknown ${String(issue.discriminator)}: expected one of ${gateKindList()}`
      return `${where}${issue.message}`
    default:
      return `${where}${issue.message}`
  }
}

function gateKindList(): string {
  const kinds = configSchema.shape.gates.unwrap().shape.checks.unwrap().element.options.map((o) => o.shape.kind.value)
  return kinds.map((k) => `"${k}"`).join(', ')
}

function formatKeyPath(keys: PropertyKey[]): string {
  return keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('')
}

function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  return `${typeof value} ${JSON.stringify(value)}`
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text
}

/** Paths in findings are relative to the working directory with forward slashes. */
export function displayPath(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, path.resolve(cwd, file))
  return (rel.startsWith('..') ? path.resolve(cwd, file) : rel).split(path.sep).join('/')
}

/**
 * Where keys stand in a config file, reading and parsing it once: the line and column of the value
 * at a key path, or undefined when the file or the key is not there (findings then carry no position).
 */
export function configPositions(file: string): (keyPath: readonly (string | number)[]) => { line: number; column: number } | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return () => undefined
  }
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter })
  return (keyPath) => {
    const node = doc.getIn(keyPath, true)
    if (!isNode(node) || !node.range) return undefined
    const { line, col } = lineCounter.linePos(node.range[0])
    return { line, column: col }
  }
}
