// What the bench's partners type: an ordinary day of a couple's chat in Korean, with the
// questions people ask each other and, here and there, a word of the question bank (운동,
// 고양이, 영화, 치킨, 카페, 주말…) in about one line of three, so that sends open questions as
// they do in life.
export const CONVERSATION: readonly string[] = [
  '일어났어? 나 방금 일어났어 ㅋㅋ',
  '오늘 출근길 지하철 진짜 사람 많더라',
  '점심 뭐 먹을 거야?',
  '나는 회사 앞에서 김치찌개 먹으려고',
  '아 맞다 어제 말한 그 카페 이름 뭐였지?',
  '퇴근하고 운동 갈 건데 같이 갈래?',
  '오늘 회의 너무 길어서 머리 아파 ㅠㅠ',
  '우리 집 앞에 길고양이 또 왔어 너무 귀여워',
  '사진 보냈어 봤어?',
  '저녁에 치킨 시켜 먹을까?',
  '아니면 떡볶이? 둘 다 좋아',
  '주말에 뭐 하고 싶어?',
  '나 보고 싶은 영화 생겼어 같이 보자',
  '예매는 내가 할게 몇 시가 좋아?',
  '오늘 저녁에 좀 춥대 따뜻하게 입고 나가',
  '오늘 하루 어땠어?',
  '나는 그냥 그랬어 팀장님이 좀 예민하셨음',
  '괜찮아 내일은 나을 거야',
  '엄마가 다음 달에 같이 보자고 하셨어',
  '너 언제 시간 돼?',
  '나 요즘 넷플릭스로 드라마 정주행 중이야',
  '제목은 나중에 알려줄게 스포 안 할게 ㅋㅋ',
  '집에 잘 들어갔어?',
  '씻고 누웠어 너무 피곤하다',
  '내일 아침 일찍 일어나야 돼서 먼저 잘게',
  '아 잠깐만 할 말 있었는데 뭐였지',
  '생각났다 다음 주에 제주 여행 가는 거 숙소 정했어?',
  '바다 보이는 데로 하자',
  '표는 내가 알아볼게',
  '잠깐 물 좀 마시고 올게',
  '오늘따라 너무 보고 싶다',
  '사랑해 오늘도 고생 많았어',
  '이번 주 토요일에 한강 산책 갈래?',
  '시간 되면 같이 가자',
  '배고프다 뭐 먹고 싶어',
  '참아야지… 벌써 열한 시잖아 ㅋㅋ',
  '너는 뭐 하고 있었어?',
  '나 방금 퇴근했어 이제 집 가는 중',
  '버스 왔다 이따 전화할게',
  '응 조심히 와',
];

/** The `n`th line of the day, starting where `offset` says (each couple starts somewhere else). */
export const lineOf = (offset: number, n: number) => CONVERSATION[(offset + n) % CONVERSATION.length];

/** What a partner answers to a question card. */
export const ANSWERS: readonly string[] = ['나는 좋아! 너는?', '음… 생각해 본 적 없는데 둘 다 좋아', '당연히 너랑이면 다 좋지', '비밀이야 ㅋㅋ 이따 말해줄게'];
