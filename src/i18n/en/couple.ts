import type { couple as ko } from '../ko/couple';

// The break-up.
export const couple: Record<keyof typeof ko, string> = {
  // break-up
  'breakup.title': 'Break up (end the couple)',
  'breakup.explain': 'If you break up, the couple ends {grace} later and your conversation, photos and files are deleted for good. Until then either of you can cancel it.',
  'breakup.password': 'Your password (to confirm it is you)',
  'breakup.submit': 'Start the break-up',
  'breakup.started': 'The break-up has started. The couple ends on {date}.',
  'breakup.cancel': 'Cancel the break-up',
  'breakup.cancelled': 'The break-up was cancelled.',
  'breakup.done': 'The break-up took effect: the couple has ended and its conversation is deleted.',
  'breakup.pendingNote': 'A break-up is already pending. You can cancel it in the notice above.',
  'breakup.error.pending': 'A break-up is already pending; it cannot be started twice.',
  'breakup.error.none': 'There is no break-up to cancel.',
  'breakup.banner.title': 'A break-up is pending',
  'breakup.banner.by': '{loginId} started a break-up.',
  'breakup.banner.byMe': 'You started a break-up.',
  'breakup.banner.due': 'On {date} the couple ends and the whole conversation is deleted.',
  'breakup.countdown': '{time} left',
  'breakup.countdown.now': 'Ending any moment now',
  'breakup.unit.d': '{n}d',
  'breakup.unit.h': '{n}h',
  'breakup.unit.m': '{n}m',
  'breakup.unit.s': '{n}s',
};
