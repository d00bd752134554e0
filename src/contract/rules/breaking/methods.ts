/** RPC_SAME_*: streaming and message types of paired rpcs. */

import type { Report } from '../types.js'
import { emit, type BreakingContext } from './context.js'
import { goQuote } from './format.js'

export function checkStreaming(context: BreakingContext, report: Report, side: 'client' | 'server'): void {
  for (const [head, base] of context.pairs.methods()) {
    const before = side === 'client' ? base.clientStreaming : base.serverStreaming
    const after = side === 'client' ? head.clientStreaming : head.serverStreaming
    if (before === after) continue
    const [from, to] = after ? ['unary', 'streaming'] : ['streaming', 'unary']
    emit(
      context,
      report,
      { file: head.service.file, loc: head.locs.self, against: base.service.file },
      `RPC ${goQuote(head.name)} on service ${goQuote(head.service.name)} changed from ${side} ${from} to ${side} ${to}.`
    )
  }
}

export function checkMessageType(context: BreakingContext, report: Report, side: 'request' | 'response'): void {
  for (const [head, base] of context.pairs.methods()) {
    const before = side === 'request' ? base.inputType : base.outputType
    const after = side === 'request' ? head.inputType : head.outputType
    if (before === after) continue
    emit(
      context,
      report,
      { file: head.service.file, loc: side === 'request' ? head.locs.inputType : head.locs.outputType, against: base.service.file },
      `RPC ${goQuote(head.name)} on service ${goQuote(head.service.name)} changed ${side} type from ${goQuote(before)} to ${goQuote(after)}.`
    )
  }
}
