import { quote, serviceScope, spanIn, type LintRule } from './context.js'

export const serviceSuffix: LintRule = {
  id: 'SERVICE_SUFFIX',
  kind: 'lint',
  categories: ['STANDARD'],
  default: true,
  purpose: 'Checks that services have a consistent suffix (configurable, default suffix is "Service").',
  check({ files, options }, report) {
    const suffix = options.serviceSuffix
    for (const file of files) {
      for (const service of file.services) {
        if (!service.name.endsWith(suffix)) {
          report(spanIn(file, service.nameSpan), `Service name ${quote(service.name)} should be suffixed with ${quote(suffix)}.`, serviceScope(service))
        }
      }
    }
  }
}
