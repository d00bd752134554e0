/**
 * Lines up the HTTP bindings of one rpc in base and head. A base binding is still served when
 * head has a binding with the same method and route shape (it may have moved between the
 * primary rule and additional_bindings). A base binding that is not served is compared with
 * its counterpart: the primary rule with head's primary rule, an additional binding with the
 * next head additional binding that serves nothing old; with no counterpart it was deleted.
 */

import type { HttpBinding, RestMethod, RestSurface } from './http-rule.js'

export interface BindingPair {
  head: HttpBinding
  base: HttpBinding
  /** Same method and route shape: clients still reach the rpc this way. */
  served: boolean
}

export interface MethodPairing {
  head: RestMethod
  base: RestMethod
  pairs: BindingPair[]
  /** Base additional bindings with no counterpart in head. */
  deleted: HttpBinding[]
}

function routeKey(binding: HttpBinding): string {
  return `${binding.method} ${binding.path.shape}`
}

export function pairMethod(head: RestMethod, base: RestMethod): MethodPairing {
  const headByRoute = new Map<string, HttpBinding>()
  for (const binding of head.bindings) if (!headByRoute.has(routeKey(binding))) headByRoute.set(routeKey(binding), binding)
  const used = new Set<HttpBinding>()
  const pairs: BindingPair[] = []
  const unserved: HttpBinding[] = []
  for (const binding of base.bindings) {
    const match = headByRoute.get(routeKey(binding))
    if (match) {
      pairs.push({ head: match, base: binding, served: true })
      used.add(match)
    } else {
      unserved.push(binding)
    }
  }
  const deleted: HttpBinding[] = []
  const spareAdditional = head.bindings.filter((binding) => binding.index > 0 && !used.has(binding))
  for (const binding of unserved) {
    const counterpart = binding.index === 0 ? head.bindings[0] : spareAdditional.shift()
    if (counterpart) pairs.push({ head: counterpart, base: binding, served: false })
    else deleted.push(binding)
  }
  return { head, base, pairs, deleted }
}

/** Every rpc present on both sides with an http rule on both. */
export function pairSurfaces(head: RestSurface, base: RestSurface): MethodPairing[] {
  const result: MethodPairing[] = []
  for (const [name, baseMethod] of base.methods) {
    const headMethod = head.methods.get(name)
    if (!headMethod || baseMethod.bindings.length === 0 || headMethod.bindings.length === 0) continue
    result.push(pairMethod(headMethod, baseMethod))
  }
  return result
}
