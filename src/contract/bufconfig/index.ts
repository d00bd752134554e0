/** buf.yaml / buf.work.yaml reading: the public surface of the bufconfig package. */
export { defaultModuleConfig, parseBufYaml } from './buf-yaml.js'
export { parseBufWorkYaml } from './buf-work-yaml.js'
export { BufConfigError, type ConfigPosition } from './errors.js'
export { BUF_YAML_VERSIONS } from './types.js'
export type { BreakingConfig, BufWorkYamlFile, BufYamlFile, BufYamlVersion, CheckConfig, LintConfig, ModuleConfig, PluginReference } from './types.js'
export { listModuleFiles, loadBufWorkspace, type BufWorkspace, type LoadOptions, type ModuleFile, type WorkspaceModule } from './workspace.js'
