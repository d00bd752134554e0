import type { ProtoFile } from '../../proto/ast.js'
import { quote, spanIn, type LintRule } from './context.js'
import { packageVersion } from './package-version.js'

export const stablePackageNoImportUnstable: LintRule = {
  id: 'STABLE_PACKAGE_NO_IMPORT_UNSTABLE',
  kind: 'lint',
  categories: [],
  default: false,
  purpose: 'Checks that all files that have stable versioned packages do not import packages with unstable version packages.',
  check({ files }, report) {
    // Like buf, only imports of the module's own files are judged.
    const byPath = new Map<string, ProtoFile>(files.map((f) => [f.path, f]))
    for (const file of files) {
      if (packageVersion(file.package)?.stability !== 'stable') continue
      for (const imp of file.imports) {
        const imported = byPath.get(imp.path)
        const importedVersion = imported && packageVersion(imported.package)
        if (imported && importedVersion && importedVersion.stability !== 'stable') {
          report(
            spanIn(file, imp.span),
            `This file is in stable package ${quote(file.package)}, so it should not depend on ${quote(imp.path)} from unstable package ${quote(imported.package)}.`,
            [imp]
          )
        }
      }
    }
  }
}
