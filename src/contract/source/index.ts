/** Inputs of the breaking compare: directories, git commits, buf images, and pull-request scoping. */
export { compareTrees, compileFindings, loadSide, readAll, type Compilation, type CompareTreesOptions, type CompareTreesResult, type CompileFailure, type LoadedSide } from './compare.js'
export { buildFiles, type DescFile } from './descriptor.js'
export { filesFromAst } from './from-ast.js'
export { changedProtoFiles, gitTree, GitSourceError, type ChangedFilesOptions, type GitTreeOptions } from './git.js'
export { ImageFormatError, readBufImage } from './image.js'
export { scanHeader, type FileHeader } from './scan.js'
export { computeScope, type Scope, type ScopeInput } from './scope.js'
export { combinedTree, compareBytes, directoryTree, type CombinedTree, type DirectoryTreeOptions, type SourceTree, type TreeRoot } from './tree.js'
