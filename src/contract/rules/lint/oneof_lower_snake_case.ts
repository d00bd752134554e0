import { oneofScope, oneofsOf, quote, spanIn, type LintRule } from './context.js'
import { toLowerSnakeCase } from './naming.js'

export const oneofLowerSnakeCase: LintRule = {
  id: 'ONEOF_LOWER_SNAKE_CASE',
  kind: 'lint',
  categories: ['BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that oneof names are lower_snake_case.',
  check({ files }, report) {
    for (const file of files) {
      for (const oneof of oneofsOf(file)) {
        const expected = toLowerSnakeCase(oneof.name)
        if (oneof.name === expected) continue
        // The `_name` oneof protoc makes for a proto3 `optional` field is not the author's.
        if (oneof.fields.length === 1 && oneof.fields[0]!.proto3Optional) continue
        report(spanIn(file, oneof.nameSpan), `Oneof name ${quote(oneof.name)} should be lower_snake_case, such as ${quote(expected)}.`, oneofScope(oneof))
      }
    }
  }
}
