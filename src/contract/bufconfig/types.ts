import type { ConfigPosition } from './errors.js'

export const BUF_YAML_VERSIONS = ['v1beta1', 'v1', 'v2'] as const
export type BufYamlVersion = (typeof BUF_YAML_VERSIONS)[number]

/** What `use`, `except`, `ignore` and `ignore_only` say, shared by lint and breaking. */
export interface CheckConfig {
  /** The config version whose rule IDs and categories `use`/`except` refer to. */
  version: BufYamlVersion
  /** True when an `ignore` entry names the module directory itself: buf then runs no checks. */
  disabled: boolean
  /** Rule or category IDs, sorted and unique; empty means buf's default rules. */
  use: string[]
  except: string[]
  /** Paths relative to the module root whose files get no findings. */
  ignore: string[]
  /** Rule or category ID → paths relative to the module root where that ID is ignored. */
  ignoreOnly: Record<string, string[]>
  disableBuiltin: boolean
  /** Where each ID of use/except/ignore_only was written, for errors about unknown IDs. */
  idPositions: Record<string, ConfigPosition>
  /** Where the section starts (or the config file, for defaults). */
  at: ConfigPosition
}

export interface LintConfig extends CheckConfig {
  /** Resolved: buf's default "_UNSPECIFIED" when unset or empty. */
  enumZeroValueSuffix: string
  rpcAllowSameRequestResponse: boolean
  rpcAllowGoogleProtobufEmptyRequests: boolean
  rpcAllowGoogleProtobufEmptyResponses: boolean
  /** Resolved: buf's default "Service" when unset or empty. */
  serviceSuffix: string
  /**
   * Whether `// buf:lint:ignore ID` comments suppress findings: v1/v1beta1 `allow_comment_ignores`
   * (default false), v2 `!disallow_comment_ignores` (default true).
   */
  allowCommentIgnores: boolean
}

export interface BreakingConfig extends CheckConfig {
  ignoreUnstablePackages: boolean
}

export interface ModuleConfig {
  /** The module directory relative to the workspace root; "." for the root. */
  dirPath: string
  /** BSR name (`buf.build/owner/repo`), when given. */
  name?: string
  /**
   * Roots relative to the module directory: file paths inside a module are relative to their
   * root. ["."] except for v1beta1 `build.roots`.
   */
  roots: string[]
  /** Per root: directories (relative to the root) whose files are not part of the module. */
  excludes: Record<string, string[]>
  /** v2 `includes`, relative to the module directory; empty means everything. */
  includes: string[]
  lint: LintConfig
  breaking: BreakingConfig
}

export interface PluginReference {
  /** The `plugin:` value as written (a path, a BSR reference, or a command list joined by spaces). */
  plugin: string
  at: ConfigPosition
}

export interface BufYamlFile {
  /** The file as errors name it. */
  file: string
  version: BufYamlVersion
  modules: ModuleConfig[]
  deps: string[]
  /** v2 check plugins and policies: parsed so they can be reported, never run. */
  plugins: PluginReference[]
  policies: PluginReference[]
}

export interface BufWorkYamlFile {
  file: string
  version: 'v1'
  /** Normalized and sorted module directories. */
  directories: string[]
}
