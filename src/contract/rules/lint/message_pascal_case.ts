import { messageScope, messagesOf, quote, spanIn, type LintRule } from './context.js'
import { toPascalCase } from './naming.js'

export const messagePascalCase: LintRule = {
  id: 'MESSAGE_PASCAL_CASE',
  kind: 'lint',
  categories: ['BASIC', 'STANDARD'],
  default: true,
  purpose: 'Checks that messages are PascalCase.',
  check({ files }, report) {
    for (const file of files) {
      for (const message of messagesOf(file)) {
        if (message.synthetic === 'map-entry') continue
        const expected = toPascalCase(message.name)
        if (message.name !== expected) {
          report(spanIn(file, message.nameSpan), `Message name ${quote(message.name)} should be PascalCase, such as ${quote(expected)}.`, messageScope(message))
        }
      }
    }
  }
}
