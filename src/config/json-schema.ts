import { z } from 'zod'
import { configSchema } from './schema.js'

/**
 * The editor-facing JSON Schema: draft-07 (what yaml-language-server reads everywhere) in input form,
 * so fields with defaults are optional.
 */
export function jsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }),
    title: 'release-gate configuration'
  }
}
