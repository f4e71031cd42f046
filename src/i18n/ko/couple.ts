// The break-up.
export const couple = {
  // break-up
  'breakup.title': '이별하기 (커플 연결 끊기)',
  'breakup.explain': '이별을 신청하면 {grace} 뒤에 커플 연결이 끊어지고, 둘의 대화와 사진·파일이 모두 지워져 되돌릴 수 없어요. 그 전까지는 둘 중 누구든 취소할 수 있어요.',
  'breakup.password': '비밀번호 (본인 확인)',
  'breakup.submit': '이별 신청하기',
  'breakup.started': '이별을 신청했어요. {date}에 커플 연결이 끊어져요.',
  'breakup.cancel': '이별 취소하기',
  'breakup.cancelled': '이별을 취소했어요.',
  'breakup.done': '이별이 확정되어 커플 연결이 끊어졌어요. 둘의 대화는 모두 지워졌어요.',
  'breakup.pendingNote': '이미 이별이 예정되어 있어요. 위의 안내에서 취소할 수 있어요.',
  'breakup.error.pending': '이미 이별이 예정되어 있어요. 두 번 신청할 수 없어요.',
  'breakup.error.none': '취소할 이별 신청이 없어요.',
  'breakup.banner.title': '이별이 예정되어 있어요',
  'breakup.banner.by': '{loginId} 님이 이별을 신청했어요.',
  'breakup.banner.due': '{date}에 커플 연결이 끊어지고 대화가 모두 지워져요.',
  'breakup.countdown': '{time} 남음',
  'breakup.countdown.now': '곧 연결이 끊어져요',
  'breakup.unit.d': '{n}일',
  'breakup.unit.h': '{n}시간',
  'breakup.unit.m': '{n}분',
  'breakup.unit.s': '{n}초',
} as const;
