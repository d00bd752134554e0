/**
 * Editions features (google.protobuf.FeatureSet) resolved per element: edition defaults,
 * overridden by `features.*` options on the file, then on each enclosing declaration. proto2
 * and proto3 files get the defaults of their syntax, adjusted per field by the legacy spellings
 * (`required`, proto3 `optional`, `[packed = …]`, groups) exactly as protoc maps them.
 */

export interface ResolvedFeatures {
  field_presence: 'EXPLICIT' | 'IMPLICIT' | 'LEGACY_REQUIRED'
  enum_type: 'OPEN' | 'CLOSED'
  repeated_field_encoding: 'PACKED' | 'EXPANDED'
  utf8_validation: 'VERIFY' | 'NONE'
  message_encoding: 'LENGTH_PREFIXED' | 'DELIMITED'
  json_format: 'ALLOW' | 'LEGACY_BEST_EFFORT'
  enforce_naming_style: 'STYLE2024' | 'STYLE_LEGACY'
  default_symbol_visibility: 'EXPORT_ALL' | 'EXPORT_TOP_LEVEL' | 'LOCAL_ALL' | 'STRICT'
}

export type FeatureName = keyof ResolvedFeatures

/** Allowed values per feature; anything else in a `features.x = Y` option is a compile error. */
export const FEATURE_VALUES: { readonly [K in FeatureName]: readonly ResolvedFeatures[K][] } = {
  field_presence: ['EXPLICIT', 'IMPLICIT', 'LEGACY_REQUIRED'],
  enum_type: ['OPEN', 'CLOSED'],
  repeated_field_encoding: ['PACKED', 'EXPANDED'],
  utf8_validation: ['VERIFY', 'NONE'],
  message_encoding: ['LENGTH_PREFIXED', 'DELIMITED'],
  json_format: ['ALLOW', 'LEGACY_BEST_EFFORT'],
  enforce_naming_style: ['STYLE2024', 'STYLE_LEGACY'],
  default_symbol_visibility: ['EXPORT_ALL', 'EXPORT_TOP_LEVEL', 'LOCAL_ALL', 'STRICT']
}

/** Editions this front end accepts (as buf 1.75 does). */
export const SUPPORTED_EDITIONS: readonly string[] = ['2023', '2024']

const PROTO2: ResolvedFeatures = Object.freeze({
  field_presence: 'EXPLICIT',
  enum_type: 'CLOSED',
  repeated_field_encoding: 'EXPANDED',
  utf8_validation: 'NONE',
  message_encoding: 'LENGTH_PREFIXED',
  json_format: 'LEGACY_BEST_EFFORT',
  enforce_naming_style: 'STYLE_LEGACY',
  default_symbol_visibility: 'EXPORT_ALL'
})

const PROTO3: ResolvedFeatures = Object.freeze({
  field_presence: 'IMPLICIT',
  enum_type: 'OPEN',
  repeated_field_encoding: 'PACKED',
  utf8_validation: 'VERIFY',
  message_encoding: 'LENGTH_PREFIXED',
  json_format: 'ALLOW',
  enforce_naming_style: 'STYLE_LEGACY',
  default_symbol_visibility: 'EXPORT_ALL'
})

const EDITION_2023: ResolvedFeatures = Object.freeze({ ...PROTO3, field_presence: 'EXPLICIT' })

const EDITION_2024: ResolvedFeatures = Object.freeze({
  ...EDITION_2023,
  enforce_naming_style: 'STYLE2024',
  default_symbol_visibility: 'EXPORT_TOP_LEVEL'
})

/** The defaults a file starts from: by syntax, or by edition for editions files. */
export function editionDefaults(syntax: 'proto2' | 'proto3' | 'editions', edition?: string): ResolvedFeatures {
  if (syntax === 'proto2') return PROTO2
  if (syntax === 'proto3') return PROTO3
  return edition === '2024' ? EDITION_2024 : EDITION_2023
}

/** `parent` with `overrides` applied; returns `parent` itself when nothing changes (shared, frozen). */
export function withOverrides(parent: ResolvedFeatures, overrides: Partial<ResolvedFeatures> | undefined): ResolvedFeatures {
  if (!overrides) return parent
  let changed = false
  for (const k in overrides) {
    if (overrides[k as FeatureName] !== parent[k as FeatureName]) {
      changed = true
      break
    }
  }
  return changed ? Object.freeze({ ...parent, ...overrides }) : parent
}
