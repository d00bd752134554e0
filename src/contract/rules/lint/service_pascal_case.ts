import { quote, serviceScope, spanIn, type LintRule } from './context.js'
import { toPascalCase } from './naming.js'

export const servicePascalCase: LintRule = {
  id: 'SERVICE_PASCAL_CASE',
  kind: 'lint',
  categories: ['BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that services are PascalCase.',
  check({ files }, report) {
    for (const file of files) {
      for (const service of file.services) {
        const expected = toPascalCase(service.name)
        if (service.name !== expected) {
          report(spanIn(file, service.nameSpan), `Service name ${quote(service.name)} should be PascalCase, such as ${quote(expected)}.`, serviceScope(service))
        }
      }
    }
  }
}
