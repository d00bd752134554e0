import type { BreakingRule } from './context.js'
import { checkNoDeleteFromFile } from './deletions.js'
import { allMessages } from './model.js'

export const messageNoDelete: BreakingRule = {
  id: 'MESSAGE_NO_DELETE',
  kind: 'breaking',
  categories: ['CSR', 'FILE'],
  default: true,
  purpose: 'Checks that messages are not deleted from a given file.',
  check(context, report) {
    checkNoDeleteFromFile(context, report, 'message', allMessages)
  }
}
