/**
 * Resolves editions features for every element and derives the field cardinality from them.
 */
import {
  type EnumDecl,
  type FieldDecl,
  type MessageDecl,
  type OptionsHolder,
  type ProtoFile
} from './ast.js'
import { FEATURE_VALUES, editionDefaults, withOverrides, type FeatureName, type ResolvedFeatures } from './features.js'

/** `features.x = Y` and `features = { x: Y }` options written on `holder`. */
function explicitFeatures(holder: OptionsHolder): Partial<ResolvedFeatures> | undefined {
  if (holder.options.length === 0) return undefined
  let out: Partial<Record<FeatureName, string>> | undefined
  const set = (name: string, value: string) => {
    if (!(name in FEATURE_VALUES)) return
    if (!(FEATURE_VALUES[name as FeatureName] as readonly string[]).includes(value)) return
    ;(out ??= {})[name as FeatureName] = value
  }
  for (let i = 0, list = holder.options; i < list.length; i++) {
    const opt = list[i]!
    const parts = opt.nameParts
    if (parts[0]!.extension || parts[0]!.name !== 'features') continue
    if (parts.length === 2 && !parts[1]!.extension && opt.value.kind === 'identifier') set(parts[1]!.name, opt.value.name)
    else if (parts.length === 1 && opt.value.kind === 'message') {
      for (let i = 0, list = opt.value.fields; i < list.length; i++) {
        const f = list[i]!
        if (f.nameKind === 'field' && f.value.kind === 'identifier') set(f.name, f.value.name)
      }
    }
  }
  return out as Partial<ResolvedFeatures> | undefined
}

export function resolveFeatures(file: ProtoFile): void {
  const fileFeatures = withOverrides(editionDefaults(file.syntax, file.edition), explicitFeatures(file))
  file.features = fileFeatures
  for (let i = 0, list = file.enums; i < list.length; i++) {
    const e = list[i]!
    resolveEnum(e, fileFeatures)
  }
  for (let i = 0, list = file.extensions; i < list.length; i++) {
    const f = list[i]!
    resolveField(f, fileFeatures)
  }
  for (let i = 0, list = file.messages; i < list.length; i++) {
    const m = list[i]!
    resolveMessage(m, fileFeatures)
  }
  for (let i = 0, list = file.services; i < list.length; i++) {
    const s = list[i]!
    s.features = withOverrides(fileFeatures, explicitFeatures(s))
    for (let i = 0, list = s.methods; i < list.length; i++) {
      const m = list[i]!
      m.features = withOverrides(s.features, explicitFeatures(m))
    }
  }
}

function resolveMessage(m: MessageDecl, parent: ResolvedFeatures): void {
  const features = withOverrides(parent, explicitFeatures(m))
  m.features = features
  for (let i = 0, list = m.oneofs; i < list.length; i++) {
    const o = list[i]!
    o.features = withOverrides(features, explicitFeatures(o))
  }
  for (let i = 0, list = m.fields; i < list.length; i++) {
    const f = list[i]!
    resolveField(f, f.oneof && !f.oneof.synthetic ? f.oneof.features! : features)
  }
  for (let i = 0, list = m.extensions; i < list.length; i++) {
    const f = list[i]!
    resolveField(f, features)
  }
  for (let i = 0, list = m.enums; i < list.length; i++) {
    const e = list[i]!
    resolveEnum(e, features)
  }
  for (let i = 0, list = m.messages; i < list.length; i++) {
    const n = list[i]!
    // A map entry takes the features of its map field, a group's message those of its field.
    const owner = n.synthetic ? m.fields.find((f) => f.mapEntry === n || f.group === n) : undefined
    resolveMessage(n, owner?.features ?? features)
  }
}

function resolveEnum(e: EnumDecl, parent: ResolvedFeatures): void {
  e.features = withOverrides(parent, explicitFeatures(e))
  for (let i = 0, list = e.values; i < list.length; i++) {
    const v = list[i]!
    v.features = withOverrides(e.features, explicitFeatures(v))
  }
}

function resolveField(f: FieldDecl, parent: ResolvedFeatures): void {
  let overrides = explicitFeatures(f)
  const syntax = f.file.syntax
  // protoc infers features from the legacy spellings of proto2/proto3.
  if (syntax !== 'editions') {
    const presence = f.label === 'required' ? 'LEGACY_REQUIRED' : f.proto3Optional ? 'EXPLICIT' : undefined
    const packed = f.options.length === 0 ? undefined : f.boolOption('packed')
    if (presence !== undefined || f.group || packed !== undefined) {
      const legacy: Partial<ResolvedFeatures> = { ...overrides }
      if (presence !== undefined) legacy.field_presence = presence
      if (f.group) legacy.message_encoding = 'DELIMITED'
      if (packed !== undefined) legacy.repeated_field_encoding = packed ? 'PACKED' : 'EXPANDED'
      overrides = legacy
    }
  }
  const features = withOverrides(parent, overrides)
  f.features = features
  if (f.mapEntry || f.label === 'repeated') f.cardinality = 'repeated'
  else if (features.field_presence === 'LEGACY_REQUIRED') f.cardinality = 'required'
  else f.cardinality = 'optional'
}
