import type { BreakingRule } from './context.js'
import { checkNoDeleteFromPackage } from './deletions.js'
import { allMessages } from './model.js'

export const packageMessageNoDelete: BreakingRule = {
  id: 'PACKAGE_MESSAGE_NO_DELETE',
  kind: 'breaking',
  categories: ['PACKAGE'],
  default: false,
  purpose: 'Checks that messages are not deleted from a given package.',
  check(context, report) {
    checkNoDeleteFromPackage(context, report, 'message', allMessages)
  }
}
