/**
 * Strict, position-keeping reads of a YAML config, with the decoding rules buf's YAML library
 * (go-yaml v3) applies to buf.yaml: unknown keys are errors, any scalar decodes into a string
 * field as written, booleans also accept the YAML 1.1 spellings (yes/no/on/off), and a key
 * without a value is the zero value.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml'
import { BufConfigError, type ConfigPosition } from './errors.js'

export interface Field {
  key: Node
  /** null when the key has no value (`lint:`), which decodes to the zero value. */
  value: Node | null
}

export interface Located<T> {
  value: T
  at: ConfigPosition
}

const TRUE_WORDS = new Set(['true', 'True', 'TRUE', 'y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON'])
const FALSE_WORDS = new Set(['false', 'False', 'FALSE', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'])

export class YamlSource {
  readonly root: Node | null
  private readonly lines = new LineCounter()

  constructor(
    readonly text: string,
    readonly file: string
  ) {
    const doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true })
    const problem = doc.errors[0]
    if (problem) {
      throw new BufConfigError(this.position(problem.pos[0]), `invalid YAML: ${problem.message.split('\n')[0]}`)
    }
    this.root = (doc.contents as Node | null) ?? null
  }

  position(offset: number): ConfigPosition {
    const { line, col } = this.lines.linePos(offset)
    return { file: this.file, line, column: col }
  }

  at(node: Node | null | undefined): ConfigPosition {
    return this.position(node?.range?.[0] ?? 0)
  }

  fail(node: Node | null | undefined, detail: string): never {
    throw new BufConfigError(this.at(node), detail)
  }

  /**
   * The entries of a mapping whose keys must all be in `known`; `where` names the section in
   * errors ("lint", "modules[0]"). A null node is an empty mapping.
   */
  fields(node: Node | null, where: string, known: readonly string[]): Map<string, Field> {
    const out = new Map<string, Field>()
    if (node === null || isNull(node)) return out
    if (!isMap(node)) this.fail(node, `${where}: expected a mapping with keys ${known.join(', ')}, got ${describe(node)}`)
    for (const pair of node.items) {
      const key = pair.key as Node
      const name = isScalar(key) ? String(key.value) : ''
      if (!known.includes(name)) {
        this.fail(key, `${where}: field ${name || describe(key)} not found (expected one of ${known.join(', ')})`)
      }
      out.set(name, { key, value: (pair.value as Node | null) ?? null })
    }
    return out
  }

  string(field: Field | undefined, what: string): string {
    if (!field || field.value === null || isNull(field.value)) return ''
    const node = field.value
    if (!isScalar(node)) this.fail(node, `${what}: expected a string, got ${describe(node)}`)
    return this.scalarText(node)
  }

  bool(field: Field | undefined, what: string): boolean {
    if (!field || field.value === null || isNull(field.value)) return false
    const node = field.value
    if (isScalar(node)) {
      if (typeof node.value === 'boolean') return node.value
      const text = this.scalarText(node)
      if (TRUE_WORDS.has(text)) return true
      if (FALSE_WORDS.has(text)) return false
    }
    this.fail(node, `${what}: expected a boolean (true or false), got ${describe(node)}`)
  }

  strings(field: Field | undefined, what: string): Located<string>[] {
    if (!field || field.value === null || isNull(field.value)) return []
    const node = field.value
    if (!isSeq(node)) this.fail(node, `${what}: expected a list of strings, got ${describe(node)}`)
    return node.items.map((item) => {
      const itemNode = item as Node
      if (!isScalar(itemNode) || isNull(itemNode)) this.fail(itemNode, `${what}: expected a string list item, got ${describe(itemNode)}`)
      return { value: this.scalarText(itemNode), at: this.at(itemNode) }
    })
  }

  /** A mapping from a string key to a list of strings (`ignore_only`). */
  stringLists(field: Field | undefined, what: string): Map<string, { at: ConfigPosition; items: Located<string>[] }> {
    const out = new Map<string, { at: ConfigPosition; items: Located<string>[] }>()
    if (!field || field.value === null || isNull(field.value)) return out
    const node = field.value
    if (!isMap(node)) this.fail(node, `${what}: expected a mapping from rule or category IDs to lists of paths, got ${describe(node)}`)
    for (const pair of node.items) {
      const key = pair.key as Node
      const name = isScalar(key) ? this.scalarText(key) : this.fail(key, `${what}: expected a string key, got ${describe(key)}`)
      out.set(name, { at: this.at(key), items: this.strings({ key, value: (pair.value as Node | null) ?? null }, `${what}.${name}`) })
    }
    return out
  }

  /** A list of nodes (`modules`, `plugins`). */
  list(field: Field | undefined, what: string): Node[] {
    if (!field || field.value === null || isNull(field.value)) return []
    const node = field.value
    if (!isSeq(node)) this.fail(node, `${what}: expected a list, got ${describe(node)}`)
    return node.items as Node[]
  }

  /** True for a scalar that decodes to a zero value: null, "" or false. */
  isZeroScalar(node: Node): boolean {
    return isScalar(node) && (node.value === null || node.value === '' || node.value === false)
  }

  /** A scalar as go-yaml decodes it into a string: quoted text, or the plain text as written. */
  private scalarText(node: Node): string {
    if (isScalar(node) && typeof node.value === 'string') return node.value
    const [start, end] = node.range ?? [0, 0]
    return this.text.slice(start, end)
  }
}

function isNull(node: Node): boolean {
  return isScalar(node) && node.value === null
}

function describe(node: Node): string {
  if (isMap(node)) return 'a mapping'
  if (isSeq(node)) return 'a list'
  if (isScalar(node)) {
    if (node.value === null) return 'null'
    return `${typeof node.value === 'string' ? 'the string' : typeof node.value} ${JSON.stringify(node.value)}`
  }
  return 'an alias'
}
