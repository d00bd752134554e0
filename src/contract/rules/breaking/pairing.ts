/**
 * How buf lines up base and head elements: files by path; messages, enums and services by full
 * name; fields by number within a paired message; extensions by (extendee, number) across all
 * files; rpcs by name within a paired service; enum values by number. Each list is built once
 * per compare and shared by every rule.
 */

import {
  allEnums,
  allExtensions,
  allMessages,
  type ProtoEnum,
  type ProtoEnumValue,
  type ProtoField,
  type ProtoFile,
  type ProtoMessage,
  type ProtoMethod,
  type ProtoService
} from './model.js'

export type Pair<T> = readonly [head: T, base: T]

export class Pairs {
  private filePairsCache?: Pair<ProtoFile>[]
  private messagePairsCache?: Pair<ProtoMessage>[]
  private enumPairsCache?: Pair<ProtoEnum>[]
  private servicePairsCache?: Pair<ProtoService>[]
  private methodPairsCache?: Pair<ProtoMethod>[]
  private fieldPairsCache?: Pair<ProtoField>[]
  private enumValuePairsCache?: Pair<Map<string, ProtoEnumValue>>[]
  private headFilesByPath?: Map<string, ProtoFile>
  private readonly nestedMessages = new WeakMap<ProtoFile, Map<string, ProtoMessage>>()
  private readonly fieldNumbers = new WeakMap<ProtoMessage, Map<number, ProtoField>>()

  constructor(
    readonly head: readonly ProtoFile[],
    readonly base: readonly ProtoFile[]
  ) {}

  headFile(path: string): ProtoFile | undefined {
    this.headFilesByPath ??= new Map(this.head.map((file) => [file.path, file]))
    return this.headFilesByPath.get(path)
  }

  files(): Pair<ProtoFile>[] {
    this.filePairsCache ??= this.base.flatMap((base) => {
      const head = this.headFile(base.path)
      return head ? [[head, base] as const] : []
    })
    return this.filePairsCache
  }

  messages(): Pair<ProtoMessage>[] {
    this.messagePairsCache ??= pairByName(
      this.head.flatMap(allMessages),
      this.base.flatMap(allMessages)
    )
    return this.messagePairsCache
  }

  enums(): Pair<ProtoEnum>[] {
    this.enumPairsCache ??= pairByName(
      this.head.flatMap(allEnums),
      this.base.flatMap(allEnums)
    )
    return this.enumPairsCache
  }

  services(): Pair<ProtoService>[] {
    this.servicePairsCache ??= pairByName(
      this.head.flatMap((file) => file.services),
      this.base.flatMap((file) => file.services)
    )
    return this.servicePairsCache
  }

  methods(): Pair<ProtoMethod>[] {
    this.methodPairsCache ??= this.services().flatMap(([head, base]) => {
      const byName = new Map(head.methods.map((method) => [method.name, method]))
      return base.methods.flatMap((baseMethod) => {
        const headMethod = byName.get(baseMethod.name)
        return headMethod ? [[headMethod, baseMethod] as const] : []
      })
    })
    return this.methodPairsCache
  }

  /** Fields of paired messages by number, then extensions by extendee and number. */
  fields(): Pair<ProtoField>[] {
    if (this.fieldPairsCache) return this.fieldPairsCache
    const pairs: Pair<ProtoField>[] = []
    for (const [head, base] of this.messages()) {
      const byNumber = this.fieldsByNumber(head)
      for (const baseField of base.fields) {
        const headField = byNumber.get(baseField.number)
        if (headField) pairs.push([headField, baseField])
      }
    }
    const headExtensions = new Map<string, ProtoField>()
    for (const file of this.head) for (const ext of allExtensions(file)) headExtensions.set(extensionKey(ext), ext)
    for (const file of this.base) {
      for (const baseExt of allExtensions(file)) {
        const headExt = headExtensions.get(extensionKey(baseExt))
        if (headExt) pairs.push([headExt, baseExt])
      }
    }
    this.fieldPairsCache = pairs
    return pairs
  }

  /** For each paired enum and each number present on both sides: name → value on each side. */
  enumValuesByNumber(): Pair<Map<string, ProtoEnumValue>>[] {
    this.enumValuePairsCache ??= this.enums().flatMap(([head, base]) => {
      const headByNumber = valuesByNumber(head)
      return [...valuesByNumber(base)].flatMap(([number, baseValues]) => {
        const headValues = headByNumber.get(number)
        return headValues ? [[headValues, baseValues] as const] : []
      })
    })
    return this.enumValuePairsCache
  }

  /** A message's fields by number. */
  fieldsByNumber(message: ProtoMessage): Map<number, ProtoField> {
    let map = this.fieldNumbers.get(message)
    if (!map) {
      map = new Map(message.fields.map((field) => [field.number, field]))
      this.fieldNumbers.set(message, map)
    }
    return map
  }

  /** A head file's messages by nested name (buf's NestedNameToMessage). */
  nestedMessagesOf(file: ProtoFile): Map<string, ProtoMessage> {
    let map = this.nestedMessages.get(file)
    if (!map) {
      map = new Map(allMessages(file).map((message) => [message.nestedName, message]))
      this.nestedMessages.set(file, map)
    }
    return map
  }
}

function pairByName<T extends { fullName: string }>(head: readonly T[], base: readonly T[]): Pair<T>[] {
  const byName = new Map(head.map((element) => [element.fullName, element]))
  return base.flatMap((baseElement) => {
    const headElement = byName.get(baseElement.fullName)
    return headElement ? [[headElement, baseElement] as const] : []
  })
}

function extensionKey(field: ProtoField): string {
  return `${field.extendee ?? ''}#${field.number}`
}

/** number → name → value; several names share a number with allow_alias. */
export function valuesByNumber(enumType: ProtoEnum): Map<number, Map<string, ProtoEnumValue>> {
  const byNumber = new Map<number, Map<string, ProtoEnumValue>>()
  for (const value of enumType.values) {
    let names = byNumber.get(value.number)
    if (!names) byNumber.set(value.number, (names = new Map()))
    names.set(value.name, value)
  }
  return byNumber
}

/**
 * Where buf attaches the deletion of a nested element: the closest enclosing message that still
 * exists in the head file (its whole span), else the file itself at 1:1.
 */
export function deletedElementParent(pairs: Pairs, headFile: ProtoFile, nestedName: string): ProtoMessage | undefined {
  const parts = nestedName.split('.')
  if (parts.length < 2) return undefined
  const messages = pairs.nestedMessagesOf(headFile)
  for (let i = parts.length - 1; i > 0; i--) {
    const message = messages.get(parts.slice(0, i).join('.'))
    if (message) return message
  }
  return undefined
}
