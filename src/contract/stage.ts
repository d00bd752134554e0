import type { Command } from '../commands.js'
import { NotBuiltError } from '../errors.js'
import type { StageContext, StageOutput } from '../pipeline.js'

export async function runContract(_command: Extract<Command, { name: 'contract' }>, _ctx: StageContext): Promise<StageOutput> {
  throw new NotBuiltError('the contract stage')
}
