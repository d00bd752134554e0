import pkg from '../package.json' with { type: 'json' }

export const TOOL = { name: 'release-gate', version: pkg.version } as const
