/**
 * Who a breaking change hurts. buf's rules answer "is it breaking" per category (WIRE,
 * WIRE_JSON, FILE); a release owner needs it per protocol: gRPC wire (bytes old peers send
 * and read), gRPC generated code (stubs and message classes users compile against) and
 * REST/JSON (gRPC-Gateway or ProtoJSON clients). `impactOf` is a pure lookup plus the few
 * refinements that need details of the change (a rename that keeps its JSON name).
 */

import { defaultJsonName } from '../proto/names.js'
import type { FieldDecl, ProtoFile } from '../proto/index.js'
import { forEachField } from '../proto/index.js'

export type Level = 'safe' | 'warning' | 'breaking'

export interface ProtocolImpact {
  wire: Level
  code: Level
  rest: Level
  /** Why, in one sentence. */
  reason: string
  /** What keeps clients working. */
  fix: string
}

export interface ImpactDetails {
  /** FIELD_SAME_NAME: the renamed field's JSON name is the same as before (json_name kept it). */
  jsonNameKept?: boolean
  /** FIELD_SAME_NAME: the JSON name clients used before the rename. */
  oldJsonName?: string
  /** FIELD_SAME_TYPE: the new type reads the old bytes (e.g. int32 → int64). */
  wireCompatible?: boolean
}

type Entry = readonly [wire: Level, code: Level, rest: Level, reason: string, fix: string]

const LANGUAGE_OPTION: Entry = [
  'safe',
  'breaking',
  'safe',
  'a language option moves or renames generated code; the bytes and JSON are unchanged',
  'keep the old option value; change it only with a new major version of the generated packages'
]
const TYPE_DELETED: Entry = [
  'warning',
  'breaking',
  'warning',
  'code that names the type stops compiling; data is affected only where the type was referenced (or packed in google.protobuf.Any)',
  'keep the type (deprecate it) until the next major version'
]
const RPC_GONE: Entry = [
  'breaking',
  'breaking',
  'breaking',
  'calls fail with UNIMPLEMENTED and its REST routes disappear',
  'keep the rpc (mark it deprecated) until the next major version'
]
const FIELD_GONE: Entry = [
  'warning',
  'breaking',
  'breaking',
  'old peers still send the number (read as an unknown field); code using the field stops compiling; ProtoJSON parsers reject the unknown JSON key',
  'deprecate the field first, then delete it and add `reserved <number>; reserved "<name>";`'
]
const ENUM_VALUE_GONE: Entry = [
  'warning',
  'breaking',
  'breaking',
  'old peers still send the number (unknown value); code naming the value stops compiling; JSON carrying the name is rejected',
  'deprecate the value first, then delete it and reserve its number and name'
]
const CARDINALITY: Entry = [
  'breaking',
  'breaking',
  'breaking',
  'repeated and singular fields are encoded and read differently, and JSON switches between an array and a value',
  'add a new field with a new number and deprecate the old one'
]
const TYPE_CHANGED: Entry = [
  'breaking',
  'breaking',
  'breaking',
  'peers decode the field with a different type',
  'add a new field with the new type and a new number; deprecate the old one'
]
const STREAMING: Entry = [
  'breaking',
  'breaking',
  'breaking',
  'streaming and unary calls use different call shapes on every protocol',
  'add a new rpc with the new streaming shape'
]
const JSON_ONLY: Entry = [
  'safe',
  'safe',
  'breaking',
  'the binary encoding is unchanged, but the JSON form clients send and read changes',
  'restore the old JSON form; publish the change as a new field or a new major version'
]
const RESERVATION_GONE: Entry = [
  'warning',
  'safe',
  'warning',
  'nothing breaks today, but the freed number or name can be reused and old data then reads wrongly',
  'keep the reserved ranges and names'
]
const REST_ROUTE: Entry = [
  'safe',
  'safe',
  'breaking',
  'gRPC is unchanged, but REST clients of gRPC-Gateway (or any google.api.http transcoder) call a route that no longer maps the same way',
  'keep the old binding and add the new one under additional_bindings'
]

const TABLE: Readonly<Record<string, Entry>> = {
  FILE_NO_DELETE: ['warning', 'breaking', 'warning', 'everything the file declared is gone from generated code; data is affected where its types were used', 'keep the file, or move its types without changing their package'],
  MESSAGE_NO_DELETE: TYPE_DELETED,
  ENUM_NO_DELETE: TYPE_DELETED,
  PACKAGE_MESSAGE_NO_DELETE: TYPE_DELETED,
  PACKAGE_ENUM_NO_DELETE: TYPE_DELETED,
  PACKAGE_NO_DELETE: ['breaking', 'breaking', 'breaking', 'every type and service of the package is gone', 'keep the package until the next major version (a new vN package)'],
  SERVICE_NO_DELETE: RPC_GONE,
  PACKAGE_SERVICE_NO_DELETE: RPC_GONE,
  RPC_NO_DELETE: RPC_GONE,
  EXTENSION_NO_DELETE: ['safe', 'breaking', 'breaking', 'the bytes stay readable as unknown fields, but code using the extension stops compiling and JSON naming it is rejected', 'keep the extension (deprecated) until the next major version'],
  PACKAGE_EXTENSION_NO_DELETE: ['safe', 'breaking', 'breaking', 'the bytes stay readable as unknown fields, but code using the extension stops compiling and JSON naming it is rejected', 'keep the extension (deprecated) until the next major version'],
  EXTENSION_MESSAGE_NO_DELETE: ['warning', 'breaking', 'safe', 'extensions in the removed range no longer compile; their data becomes unknown fields', 'keep the extension range'],
  FIELD_NO_DELETE: FIELD_GONE,
  FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED: ['warning', 'breaking', 'breaking', 'the number is free for reuse, and a reused number misreads old data', 'reserve the deleted number: `reserved <number>;`'],
  FIELD_NO_DELETE_UNLESS_NAME_RESERVED: ['safe', 'breaking', 'breaking', 'the name (and JSON name) is free for reuse with another meaning', 'reserve the deleted name: `reserved "<name>";`'],
  ENUM_VALUE_NO_DELETE: ENUM_VALUE_GONE,
  ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED: ['warning', 'breaking', 'breaking', 'the number is free for reuse, and a reused number misreads old data', 'reserve the deleted number in the enum'],
  ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED: ['safe', 'breaking', 'breaking', 'the name is free for reuse, and JSON carries enum values by name', 'reserve the deleted name in the enum'],
  ENUM_VALUE_SAME_NAME: ['safe', 'breaking', 'breaking', 'binary data carries the number, but code names the value and JSON carries the name', 'keep the old name; add the new name as an alias (`option allow_alias = true;`) if needed'],
  FIELD_SAME_NAME: ['safe', 'breaking', 'breaking', 'binary data carries the number, but code uses the field name and JSON uses the JSON name derived from it', 'set `json_name` to the old JSON name to keep REST clients working; generated code still changes'],
  FIELD_SAME_JSON_NAME: ['safe', 'safe', 'breaking', 'the JSON key of the field changes', 'restore the old json_name'],
  FIELD_SAME_TYPE: TYPE_CHANGED,
  FIELD_WIRE_COMPATIBLE_TYPE: TYPE_CHANGED,
  FIELD_WIRE_JSON_COMPATIBLE_TYPE: TYPE_CHANGED,
  FIELD_SAME_CARDINALITY: CARDINALITY,
  FIELD_WIRE_COMPATIBLE_CARDINALITY: CARDINALITY,
  FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY: CARDINALITY,
  FIELD_SAME_ONEOF: ['warning', 'breaking', 'warning', 'oneof membership changes which values clear each other, and JSON rejects two members of one oneof', 'add new fields instead of moving fields in or out of a oneof'],
  FIELD_SAME_DEFAULT: ['breaking', 'warning', 'breaking', 'a missing field now reads as a different value', 'keep the default; add a new field for the new meaning'],
  FIELD_SAME_JSTYPE: ['safe', 'breaking', 'safe', 'JavaScript generated code switches between number and string for 64-bit values', 'keep the jstype option'],
  FIELD_SAME_CPP_STRING_TYPE: ['safe', 'breaking', 'safe', 'C++ accessors change type', 'keep the ctype / string_type'],
  FIELD_SAME_JAVA_UTF8_VALIDATION: ['warning', 'warning', 'safe', 'Java parsers start or stop rejecting invalid UTF-8', 'keep the UTF-8 validation setting'],
  FIELD_SAME_UTF8_VALIDATION: ['warning', 'warning', 'safe', 'parsers start or stop rejecting invalid UTF-8', 'keep the UTF-8 validation setting'],
  FILE_SAME_PACKAGE: ['breaking', 'breaking', 'warning', 'full names change: gRPC method paths (/pkg.Service/Method), Any type URLs and generated packages all move', 'keep the package; release a new vN package alongside the old one'],
  FILE_SAME_SYNTAX: ['warning', 'breaking', 'warning', 'field presence, packed encoding defaults and enum openness can change with the syntax', 'keep the syntax, or pin every changed feature to its old value (editions)'],
  ENUM_SAME_TYPE: ['warning', 'breaking', 'safe', 'open and closed enums handle unknown values differently', 'keep the enum type (features.enum_type)'],
  ENUM_SAME_JSON_FORMAT: JSON_ONLY,
  MESSAGE_SAME_JSON_FORMAT: JSON_ONLY,
  MESSAGE_SAME_REQUIRED_FIELDS: ['breaking', 'breaking', 'breaking', 'parsers reject messages without a required field', 'never add or remove required fields'],
  MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR: ['safe', 'breaking', 'safe', 'generated code loses the descriptor accessor', 'keep no_standard_descriptor_accessor unset or false'],
  MESSAGE_SAME_MESSAGE_SET_WIRE_FORMAT: ['breaking', 'safe', 'safe', 'message_set_wire_format changes the encoding', 'keep the option'],
  ONEOF_NO_DELETE: ['warning', 'breaking', 'warning', 'the oneof accessor disappears and its fields lose their mutual exclusion', 'keep the oneof'],
  RESERVED_ENUM_NO_DELETE: RESERVATION_GONE,
  RESERVED_MESSAGE_NO_DELETE: RESERVATION_GONE,
  RPC_SAME_CLIENT_STREAMING: STREAMING,
  RPC_SAME_SERVER_STREAMING: STREAMING,
  RPC_SAME_REQUEST_TYPE: ['breaking', 'breaking', 'breaking', 'old clients send a different message than the server reads', 'add a new rpc with the new request type'],
  RPC_SAME_RESPONSE_TYPE: ['breaking', 'breaking', 'breaking', 'old clients read a different message than the server sends', 'add a new rpc with the new response type'],
  RPC_SAME_IDEMPOTENCY_LEVEL: ['warning', 'safe', 'warning', 'retries and GET-based calls (Connect, caching proxies) depend on the idempotency level', 'keep the idempotency_level'],
  HTTP_RULE_NO_DELETE: REST_ROUTE,
  HTTP_SAME_METHOD: REST_ROUTE,
  HTTP_SAME_PATH: REST_ROUTE,
  HTTP_BINDING_NO_DELETE: REST_ROUTE,
  HTTP_PATH_VARIABLE_SAME_FIELD: ['safe', 'safe', 'breaking', 'the same URL now fills a different request field (or a field with different URL segments)', 'keep the old variable name and pattern; rename request fields only with a new route'],
  HTTP_SAME_BODY: ['safe', 'safe', 'breaking', 'REST clients send the request body that maps to a different request field', 'keep the old body mapping; add a new binding for the new one'],
  HTTP_SAME_RESPONSE_BODY: ['safe', 'safe', 'breaking', 'REST clients receive a different part of the response as the body', 'keep the old response_body; add a new binding for the new one'],
  POLICY_RESERVED_REUSE: ['breaking', 'safe', 'breaking', 'a reserved number or name is in use again, so old data or old JSON is read with a new meaning', 'pick a new number and name; keep the reservation'],
  POLICY_DEPRECATE_BEFORE_DELETE: FIELD_GONE,
  POLICY_NEW_FIELD_OPTIONAL: ['safe', 'safe', 'warning', 'without presence a server cannot tell an old client (field absent) from the zero value', 'declare the field `optional` (or use a message, repeated or map type)'],
  POLICY_ENUM_VALUE_POSITIVE: ['warning', 'safe', 'safe', 'zero is the default every old reader falls back to and negative numbers cost 10 bytes on the wire', 'give new enum values numbers above 0']
}

const LANGUAGE_OPTION_RULES = [
  'FILE_SAME_CC_ENABLE_ARENAS', 'FILE_SAME_CC_GENERIC_SERVICES', 'FILE_SAME_CSHARP_NAMESPACE', 'FILE_SAME_GO_PACKAGE',
  'FILE_SAME_JAVA_GENERIC_SERVICES', 'FILE_SAME_JAVA_MULTIPLE_FILES', 'FILE_SAME_JAVA_OUTER_CLASSNAME', 'FILE_SAME_JAVA_PACKAGE',
  'FILE_SAME_OBJC_CLASS_PREFIX', 'FILE_SAME_OPTIMIZE_FOR', 'FILE_SAME_PHP_CLASS_PREFIX', 'FILE_SAME_PHP_METADATA_NAMESPACE',
  'FILE_SAME_PHP_NAMESPACE', 'FILE_SAME_PY_GENERIC_SERVICES', 'FILE_SAME_RUBY_PACKAGE', 'FILE_SAME_SWIFT_PREFIX'
]

/** Rule IDs `impactOf` classifies (every buf 1.75 breaking rule, the REST rules and the POLICY rules). */
export const CLASSIFIED_RULES: readonly string[] = [...Object.keys(TABLE), ...LANGUAGE_OPTION_RULES].sort()

/** The per-protocol impact of a breaking finding of `ruleId`; unknown rules are `warning` everywhere. */
export function impactOf(ruleId: string, details: ImpactDetails = {}): ProtocolImpact {
  const entry = TABLE[ruleId] ?? (LANGUAGE_OPTION_RULES.includes(ruleId) ? LANGUAGE_OPTION : undefined)
  if (!entry) {
    return { wire: 'warning', code: 'warning', rest: 'warning', reason: `release-gate has no protocol classification for ${ruleId}`, fix: 'review the change by hand' }
  }
  const [wire, code, rest, reason, fix] = entry
  const impact: ProtocolImpact = { wire, code, rest, reason, fix }
  if (ruleId === 'FIELD_SAME_NAME') {
    if (details.jsonNameKept === true) return { ...impact, rest: 'safe', reason: 'binary data carries the number and json_name keeps the old JSON name; only generated code changes', fix: 'none needed for REST; generated code still changes' }
    const name = details.oldJsonName !== undefined ? `"${details.oldJsonName}"` : 'the old JSON name'
    return {
      ...impact,
      reason: details.jsonNameKept === false ? 'binary data carries the number, but code uses the new name and the JSON key changed' : 'binary data carries the number, but code uses the field name; REST breaks unless json_name keeps the old JSON name',
      fix: `add [json_name = ${name}] to the renamed field to keep REST clients working; generated code still changes`
    }
  }
  if (ruleId === 'FIELD_SAME_TYPE' && details.wireCompatible === true) return { ...impact, wire: 'safe', reason: 'the new type reads the old bytes, but code and JSON see a different type' }
  return impact
}

/** One line for a finding's help text. */
export function formatImpact(impact: ProtocolImpact): string {
  return `gRPC wire: ${impact.wire} · generated code: ${impact.code} · REST/JSON: ${impact.rest} — ${impact.reason}. Fix: ${impact.fix}.`
}

/**
 * The details a FIELD_SAME_NAME finding needs: buf reports it on the renamed field's name in
 * head. The old JSON name is the base field's (its json_name, or the default from the old
 * name when `baseFiles` is not given or the field is not found there).
 */
export function fieldRenameDetails(finding: { line: number; column: number; message: string }, headFile: ProtoFile, baseFiles: readonly ProtoFile[] = []): ImpactDetails {
  const match = /changed name from "([^"]*)" to "([^"]*)"/.exec(finding.message)
  if (!match) return {}
  let head: FieldDecl | undefined
  forEachField(headFile, (field) => {
    const span = field.nameSpan
    if (span.line === finding.line && span.column === finding.column) head = field
  })
  const oldName = match[1]!.slice(match[1]!.lastIndexOf('.') + 1)
  let oldJsonName = defaultJsonName(oldName)
  if (head?.parent) {
    const owner = head.parent.fullName
    const number = head.number
    for (const file of baseFiles) {
      forEachField(file, (field) => {
        if (field.parent?.fullName === owner && field.number === number && !field.extend) oldJsonName = field.jsonName
      })
    }
  }
  if (head === undefined) return { oldJsonName }
  return { oldJsonName, jsonNameKept: head.jsonName === oldJsonName }
}
