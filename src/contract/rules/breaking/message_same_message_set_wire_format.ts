import type { BreakingRule } from './context.js'

export const messageSameMessageSetWireFormat: BreakingRule = {
  id: 'MESSAGE_SAME_MESSAGE_SET_WIRE_FORMAT',
  kind: 'breaking',
  categories: [],
  default: false,
  purpose: 'Checks that messages have the same value for the message_set_wire_format option.',
  deprecated: true,
  check() {
    // buf turned this rule into a no-op (protobuf-go dropped MessageSet support); it stays so
    // configs that name it keep working.
  }
}
