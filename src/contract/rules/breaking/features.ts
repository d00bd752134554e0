/**
 * Editions feature resolution for the few features the breaking rules read. A value set on an
 * element wins over its parent's; the file's edition (proto2 and proto3 count as editions)
 * supplies the default. Defaults follow descriptor.proto, cpp_features.proto and
 * java_features.proto.
 */

import type { CppStringType, JsonFormat, Syntax, Utf8Validation } from './model.js'

/** Explicit feature values written on one element (`features.x` / `features.(pb.cpp).x`). */
export interface FeatureValues {
  field_presence?: string
  enum_type?: string
  utf8_validation?: string
  message_encoding?: string
  json_format?: string
  cpp_string_type?: string
  java_utf8_validation?: string
}

export type FeatureName = keyof FeatureValues

/** `proto2`, `proto3`, or the edition year of an editions file. */
export type EditionKey = 'proto2' | 'proto3' | string

export function editionKey(syntax: Syntax, edition: string | undefined): EditionKey {
  return syntax === 'editions' ? (edition ?? '2023') : syntax
}

const LEGACY: Required<FeatureValues> = {
  field_presence: 'EXPLICIT',
  enum_type: 'CLOSED',
  utf8_validation: 'NONE',
  message_encoding: 'LENGTH_PREFIXED',
  json_format: 'LEGACY_BEST_EFFORT',
  cpp_string_type: 'STRING',
  java_utf8_validation: 'DEFAULT'
}

const PROTO3: Required<FeatureValues> = {
  ...LEGACY,
  field_presence: 'IMPLICIT',
  enum_type: 'OPEN',
  utf8_validation: 'VERIFY',
  json_format: 'ALLOW'
}

const EDITION_2023: Required<FeatureValues> = { ...PROTO3, field_presence: 'EXPLICIT' }
const EDITION_2024: Required<FeatureValues> = { ...EDITION_2023, cpp_string_type: 'VIEW' }

function defaults(edition: EditionKey): Required<FeatureValues> {
  switch (edition) {
    case 'proto2':
      return LEGACY
    case 'proto3':
      return PROTO3
    case '2023':
      return EDITION_2023
    default:
      // Later editions keep 2024's defaults for the features read here.
      return EDITION_2024
  }
}

/**
 * The resolved value of `name` given the explicit values from the innermost element outwards
 * (e.g. field, oneof, message, outer message, file).
 */
export function resolveFeature(edition: EditionKey, name: FeatureName, chain: readonly (FeatureValues | undefined)[]): string {
  for (const values of chain) {
    const value = values?.[name]
    if (value !== undefined) return value
  }
  return defaults(edition)[name]
}

export function asJsonFormat(value: string): JsonFormat {
  return value === 'ALLOW' ? 'ALLOW' : 'LEGACY_BEST_EFFORT'
}

export function asUtf8Validation(value: string): Utf8Validation {
  return value === 'NONE' ? 'NONE' : 'VERIFY'
}

export function asCppStringType(value: string): CppStringType {
  return value === 'CORD' ? 'CORD' : value === 'VIEW' ? 'VIEW' : 'STRING'
}
