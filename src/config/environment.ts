import type { RunOptions } from '../commands.js'
import { UsageError } from '../errors.js'
import type { Config } from './schema.js'

/** The environment a run is for: named with --environment, or the only one configured. */
export function environmentName(config: Config | undefined, options: RunOptions): string | undefined {
  if (!config) return undefined
  const names = Object.keys(config.environments)
  if (options.environment === undefined) {
    if (names.length > 1) throw new UsageError(`several environments are configured (${names.join(', ')}): choose one with --environment`)
    return names[0]
  }
  if (!(options.environment in config.environments))
    throw new UsageError(`environment "${options.environment}" is not configured; configured: ${names.join(', ') || 'none'}`)
  return options.environment
}
