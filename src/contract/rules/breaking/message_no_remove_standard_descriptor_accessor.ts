import { type BreakingRule, emit } from './context.js'

export const messageNoRemoveStandardDescriptorAccessor: BreakingRule = {
  id: 'MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR',
  kind: 'breaking',
  categories: ['CSR', 'FILE', 'PACKAGE'],
  default: true,
  purpose: 'Checks that messages do not change the no_standard_descriptor_accessor option from false or unset to true.',
  check(context, report) {
    for (const [head, base] of context.pairs.messages()) {
      if (base.noStandardDescriptorAccessor || !head.noStandardDescriptorAccessor) continue
      emit(
        context,
        report,
        { file: head.file, loc: head.locs.noStandardDescriptorAccessor, against: base.file },
        'Message option "no_standard_descriptor_accessor" changed from "false" to "true".'
      )
    }
  }
}
