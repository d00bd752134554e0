/**
 * REST breaking rules over the google.api.http surface (category REST). buf leaves these out
 * (custom options are not checked; bufbuild/buf#2064), so a REST client can break while
 * `buf breaking` passes. Adding a binding or an http rule is never a break.
 */

import type { ProtoFile, Span as ProtoSpan } from '../proto/index.js'
import type { Span } from '../rules/types.js'
import { goQuote } from '../rules/breaking/format.js'
import { describeBinding, type HttpBinding, type RestMethod, type RestSurface } from './http-rule.js'
import type { MethodPairing } from './pairing.js'
import type { ExtraRuleSpec } from './types.js'

export interface RestContext {
  head: RestSurface
  base: RestSurface
  pairings: readonly MethodPairing[]
  /** Head files by path, to place findings for deleted rpcs on their service. */
  headFiles: ReadonlyMap<string, ProtoFile>
}

export type RestRule = ExtraRuleSpec<'rest', RestContext>

function at(path: string, span: ProtoSpan): Span {
  return { path, line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn }
}

/** Where the rpc's bindings are written: its .proto file, or the gRPC-Gateway YAML that declares them. */
function bindingsPath(method: RestMethod): string {
  return method.bindingsPath ?? method.file.path
}

function rpcName(method: RestMethod): string {
  return `RPC ${goQuote(method.method.name)} on service ${goQuote(method.method.parent.name)}`
}

function bindingName(binding: HttpBinding): string {
  return binding.index === 0 ? 'HTTP rule' : `additional binding ${binding.index}`
}

export const httpRuleNoDelete: RestRule = {
  id: 'HTTP_RULE_NO_DELETE',
  kind: 'rest',
  categories: ['REST'],
  default: true,
  purpose: 'Checks that rpcs do not lose their google.api.http rule (REST routes are not deleted).',
  check(context, report) {
    for (const [name, base] of context.base.methods) {
      if (base.bindings.length === 0) continue
      const head = context.head.methods.get(name)
      const routes = base.bindings.map(describeBinding).join(', ')
      if (head) {
        if (head.bindings.length > 0 || head.problem !== undefined) continue
        report(at(head.file.path, head.method.nameSpan), `Previously present HTTP rule (${routes}) of ${rpcName(base)} was deleted.`)
        continue
      }
      // The rpc itself is gone (buf reports RPC_NO_DELETE); the REST routes go with it.
      const file = context.headFiles.get(base.file.path)
      const service = file?.services.find((candidate) => candidate.fullName === base.method.parent.fullName)
      if (file && service) report(at(file.path, service.nameSpan), `Previously present HTTP rule (${routes}) of deleted ${rpcName(base)} is no longer served.`)
    }
  }
}

export const httpSameMethod: RestRule = {
  id: 'HTTP_SAME_METHOD',
  kind: 'rest',
  categories: ['REST'],
  default: true,
  purpose: 'Checks that HTTP bindings keep their HTTP method.',
  check(context, report) {
    for (const pairing of context.pairings) {
      for (const { head, base, served } of pairing.pairs) {
        if (served || head.method === base.method) continue
        report(
          at(bindingsPath(pairing.head), head.spans.method),
          `${bindingName(base)} of ${rpcName(pairing.head)} changed HTTP method from ${goQuote(base.method)} to ${goQuote(head.method)} (${describeBinding(base)} is no longer served).`
        )
      }
    }
  }
}

export const httpSamePath: RestRule = {
  id: 'HTTP_SAME_PATH',
  kind: 'rest',
  categories: ['REST'],
  default: true,
  purpose: 'Checks that HTTP bindings keep their path template (compared by route structure, not variable names).',
  check(context, report) {
    for (const pairing of context.pairings) {
      for (const { head, base, served } of pairing.pairs) {
        if (served || head.path.shape === base.path.shape) continue
        report(
          at(bindingsPath(pairing.head), head.spans.path),
          `${bindingName(base)} of ${rpcName(pairing.head)} changed path from ${goQuote(base.path.text)} to ${goQuote(head.path.text)}: URLs of the form ${goQuote(base.path.shape)} no longer reach it.`
        )
      }
    }
  }
}

export const httpPathVariableSameField: RestRule = {
  id: 'HTTP_PATH_VARIABLE_SAME_FIELD',
  kind: 'rest',
  categories: ['REST'],
  default: true,
  purpose: 'Checks that path variables of an unchanged route fill the same request fields with the same URL segments.',
  check(context, report) {
    for (const pairing of context.pairings) {
      for (const { head, base } of pairing.pairs) {
        if (head.path.shape !== base.path.shape) continue
        const changes = variableChanges(head, base)
        if (changes.length === 0) continue
        report(
          at(bindingsPath(pairing.head), head.spans.path),
          `${bindingName(base)} of ${rpcName(pairing.head)} binds its path differently (${goQuote(base.path.text)} → ${goQuote(head.path.text)}): ${changes.join('; ')}.`
        )
      }
    }
  }
}

/** What a server now decodes differently from the same URL. */
function variableChanges(head: HttpBinding, base: HttpBinding): string[] {
  const changes: string[] = []
  const headBySegments = new Map(head.path.variables.map((variable) => [`${variable.firstSegment}+${variable.segmentCount}`, variable]))
  const headFields = new Set(head.path.variables.map((variable) => variable.fieldPath))
  for (const variable of base.path.variables) {
    const match = headBySegments.get(`${variable.firstSegment}+${variable.segmentCount}`)
    if (match) {
      if (match.fieldPath !== variable.fieldPath)
        changes.push(`URL part ${goQuote(variable.pattern)} filled field ${goQuote(variable.fieldPath)}, now ${goQuote(match.fieldPath)}`)
      headBySegments.delete(`${variable.firstSegment}+${variable.segmentCount}`)
    } else if (headFields.has(variable.fieldPath)) {
      const now = head.path.variables.find((candidate) => candidate.fieldPath === variable.fieldPath)!
      changes.push(`field ${goQuote(variable.fieldPath)} received ${goQuote(variable.pattern)}, now ${goQuote(now.pattern)}`)
    } else {
      changes.push(`field ${goQuote(variable.fieldPath)} is no longer filled from the URL`)
    }
  }
  for (const variable of headBySegments.values()) {
    if (!base.path.variables.some((candidate) => candidate.fieldPath === variable.fieldPath))
      changes.push(`field ${goQuote(variable.fieldPath)} is now filled from URL part ${goQuote(variable.pattern)}`)
  }
  return changes
}

export const httpSameBody: RestRule = {
  id: 'HTTP_SAME_BODY',
  kind: 'rest',
  categories: ['REST'],
  default: true,
  purpose: 'Checks that HTTP bindings map the same request field to the body.',
  check(context, report) {
    for (const pairing of context.pairings) {
      for (const { head, base } of pairing.pairs) {
        if (head.body === base.body) continue
        report(
          at(bindingsPath(pairing.head), head.spans.body ?? head.spans.rule),
          `${bindingName(base)} of ${rpcName(pairing.head)} changed body from ${goQuote(base.body)} to ${goQuote(head.body)}.`
        )
      }
    }
  }
}

export const httpSameResponseBody: RestRule = {
  id: 'HTTP_SAME_RESPONSE_BODY',
  kind: 'rest',
  categories: ['REST'],
  default: true,
  purpose: 'Checks that HTTP bindings send the same response field as the body.',
  check(context, report) {
    for (const pairing of context.pairings) {
      for (const { head, base } of pairing.pairs) {
        if (head.responseBody === base.responseBody) continue
        report(
          at(bindingsPath(pairing.head), head.spans.responseBody ?? head.spans.rule),
          `${bindingName(base)} of ${rpcName(pairing.head)} changed response_body from ${goQuote(base.responseBody)} to ${goQuote(head.responseBody)}.`
        )
      }
    }
  }
}

export const httpBindingNoDelete: RestRule = {
  id: 'HTTP_BINDING_NO_DELETE',
  kind: 'rest',
  categories: ['REST'],
  default: true,
  purpose: 'Checks that additional_bindings are not deleted from an http rule.',
  check(context, report) {
    for (const pairing of context.pairings) {
      for (const binding of pairing.deleted) {
        const head = pairing.head
        report(
          at(bindingsPath(head), head.bindings[0]!.spans.rule),
          `Previously present ${bindingName(binding)} (${describeBinding(binding)}) of ${rpcName(head)} was deleted.`
        )
      }
    }
  }
}

export const restRules: readonly RestRule[] = [
  httpBindingNoDelete,
  httpPathVariableSameField,
  httpRuleNoDelete,
  httpSameBody,
  httpSameMethod,
  httpSamePath,
  httpSameResponseBody
]
