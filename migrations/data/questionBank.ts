// Seed questions for the couple question feature. When one partner writes a trigger word in
// chat, both partners get the matching question; each question is asked at most once per couple.
// Trigger words are unique across the whole bank: one word leads to exactly one question.

export interface BankQuestion {
  /** stable key, lower_snake_case ascii, unique */
  key: string;
  ko: string; // the question in Korean, casual 반말 between lovers, warm, ends with ?
  en: string; // natural English version
  /** trigger words: Korean nouns in dictionary form (no particles), English lower-case singular words */
  triggers: { ko: string[]; en: string[] };
}

export const questionBank: readonly BankQuestion[] = [
  // The first four reproduce the original walk-through; keep them first and in this order.
  {
    key: 'exercise',
    ko: '운동하는 거 좋아해?',
    en: 'Do you like working out?',
    triggers: { ko: ['운동', '헬스', '필라테스', '크로스핏'], en: ['workout', 'exercise', 'gym', 'fitness'] },
  },
  {
    key: 'cats_or_dogs',
    ko: '고양이랑 강아지 중에 누굴 더 좋아해?',
    en: 'Cats or dogs — which do you love more?',
    triggers: { ko: ['고양이', '강아지', '길고양이', '반려견', '반려묘'], en: ['cat', 'dog', 'puppy', 'kitten'] },
  },
  {
    key: 'favorite_cuisine',
    ko: '한식 / 중식 / 양식 / 일식 중에 뭘 제일 좋아해?',
    en: 'Korean, Chinese, Western or Japanese food — which is your favourite?',
    triggers: { ko: ['밥', '한식', '중식', '양식', '일식'], en: ['meal', 'cuisine', 'rice'] },
  },
  {
    key: 'food_cant_eat',
    ko: '못 먹는 음식이 뭐야?',
    en: "Is there a food you just can't eat?",
    triggers: { ko: ['음식', '편식', '알레르기'], en: ['food', 'allergy', 'picky'] },
  },

  // Movies, shows, music, books, games
  {
    key: 'movie_genre',
    ko: '영화 볼 때 어떤 장르가 제일 좋아?',
    en: 'What kind of movie do you enjoy the most?',
    triggers: { ko: ['영화', '극장', '영화관', '넷플릭스'], en: ['movie', 'film', 'cinema', 'netflix'] },
  },
  {
    key: 'horror',
    ko: '무서운 거 잘 봐? 아니면 내 뒤에 숨을 거야?',
    en: 'Are you fine with scary stuff, or would you hide behind me?',
    triggers: { ko: ['공포', '귀신', '호러', '방탈출'], en: ['horror', 'ghost', 'scary'] },
  },
  {
    key: 'drama_now',
    ko: '요즘 푹 빠져서 보는 드라마나 예능 있어?',
    en: 'Is there a drama or TV show you’re hooked on right now?',
    triggers: { ko: ['드라마', '예능', '정주행'], en: ['drama', 'sitcom', 'binge'] },
  },
  {
    key: 'music_now',
    ko: '요즘 제일 많이 듣는 노래가 뭐야?',
    en: 'What song have you been playing the most lately?',
    triggers: { ko: ['음악', '플리', '앨범', '멜로디'], en: ['music', 'song', 'playlist', 'album'] },
  },
  {
    key: 'karaoke',
    ko: '노래방 가면 꼭 부르는 18번이 뭐야?',
    en: 'What’s your go-to song at karaoke?',
    triggers: { ko: ['노래방', '코노', '애창곡'], en: ['karaoke'] },
  },
  {
    key: 'concert',
    ko: '둘이 같이 꼭 가보고 싶은 공연이나 콘서트 있어?',
    en: 'Is there a show or concert you’d love for us to go to together?',
    triggers: { ko: ['공연', '콘서트', '뮤지컬', '페스티벌'], en: ['concert', 'musical', 'festival', 'gig'] },
  },
  {
    key: 'celebrity',
    ko: '좋아하는 연예인 있어? 솔직하게 말해줄래?',
    en: 'Do you have a favourite celebrity? You can be honest!',
    triggers: { ko: ['연예인', '아이돌', '팬미팅', '덕질'], en: ['celebrity', 'idol', 'fandom'] },
  },
  {
    key: 'books',
    ko: '인생 책이 있다면 나한테 하나만 추천해줄래?',
    en: 'If you have a book that changed your life, would you recommend it to me?',
    triggers: { ko: ['독서', '소설', '서점', '책방'], en: ['book', 'novel', 'reading', 'bookstore'] },
  },
  {
    key: 'games',
    ko: '게임 좋아해? 우리 같이 해보고 싶은 게임 있어?',
    en: 'Do you like games? Is there one you’d want us to play together?',
    triggers: { ko: ['게임', '오락실', '피시방', '플스'], en: ['game', 'gaming', 'console', 'nintendo'] },
  },
  {
    key: 'youtube',
    ko: '요즘 자주 보는 유튜브 채널 있어?',
    en: 'Which YouTube channel have you been watching a lot lately?',
    triggers: { ko: ['유튜브', '유튜버', '쇼츠', '브이로그'], en: ['youtube', 'youtuber', 'vlog'] },
  },
  {
    key: 'exhibition',
    ko: '전시회나 미술관 데이트 어때? 가보고 싶은 데 있어?',
    en: 'How about an exhibition or museum date? Anywhere you’d like to go?',
    triggers: { ko: ['전시회', '미술관', '박물관', '전시'], en: ['exhibition', 'museum', 'gallery', 'art'] },
  },
  {
    key: 'instrument',
    ko: '다룰 줄 아는 악기 있어? 아니면 배워보고 싶은 악기는?',
    en: 'Can you play an instrument? Or is there one you’d like to learn?',
    triggers: { ko: ['악기', '피아노', '우쿨렐레', '드럼'], en: ['instrument', 'piano', 'guitar', 'drum'] },
  },

  // Travel & places
  {
    key: 'dream_trip',
    ko: '우리 둘이 꼭 같이 가보고 싶은 여행지 있어?',
    en: 'Is there a place you really want us to travel to together?',
    triggers: { ko: ['여행', '여행지', '해외', '배낭여행'], en: ['travel', 'trip', 'journey', 'abroad'] },
  },
  {
    key: 'domestic_trip',
    ko: '국내에서 제일 좋았던 여행지는 어디야?',
    en: 'What’s the best place you’ve visited in Korea?',
    triggers: { ko: ['제주', '부산', '강릉', '전주', '여수'], en: ['jeju', 'busan', 'gangneung'] },
  },
  {
    key: 'airplane_seat',
    ko: '비행기 타면 창가 자리가 좋아, 복도 자리가 좋아?',
    en: 'On a plane, do you prefer the window seat or the aisle?',
    triggers: { ko: ['비행기', '공항', '기내식', '항공권'], en: ['airplane', 'plane', 'airport', 'flight'] },
  },
  {
    key: 'accommodation',
    ko: '여행 가서 숙소 고를 때 뭐가 제일 중요해?',
    en: 'When picking a place to stay on a trip, what matters most to you?',
    triggers: { ko: ['숙소', '호텔', '펜션', '리조트'], en: ['hotel', 'airbnb', 'accommodation', 'resort'] },
  },
  {
    key: 'sea_or_mountain',
    ko: '바다랑 산 중에 어디가 더 좋아?',
    en: 'The sea or the mountains — which do you like more?',
    triggers: { ko: ['바다', '해변', '바닷가', '등산', '계곡'], en: ['sea', 'beach', 'mountain', 'hiking'] },
  },
  {
    key: 'camping',
    ko: '캠핑 가서 같이 불멍 하는 거 어때?',
    en: 'How would you feel about going camping and staring at a campfire together?',
    triggers: { ko: ['캠핑', '글램핑', '텐트', '불멍'], en: ['camping', 'tent', 'campfire'] },
  },
  {
    key: 'walk_spot',
    ko: '같이 손잡고 산책하고 싶은 곳 있어?',
    en: 'Is there a spot where you’d like to take a walk hand in hand?',
    triggers: { ko: ['산책', '한강', '산책로', '둘레길'], en: ['walk', 'park', 'stroll'] },
  },
  {
    key: 'amusement_park',
    ko: '놀이공원 가면 제일 먼저 뭐 타고 싶어?',
    en: 'At an amusement park, what ride do you go for first?',
    triggers: { ko: ['놀이공원', '놀이기구', '롯데월드', '에버랜드'], en: ['rollercoaster', 'amusement', 'themepark'] },
  },
  {
    key: 'zoo_or_aquarium',
    ko: '동물원이랑 아쿠아리움 중에 어디 데이트가 더 좋아?',
    en: 'Zoo or aquarium — which would make the better date?',
    triggers: { ko: ['동물원', '수족관'], en: ['zoo', 'aquarium'] },
  },
  {
    key: 'sauna',
    ko: '찜질방 가면 식혜파야, 맥반석 계란파야?',
    en: 'At a Korean spa, are you team sikhye or team baked eggs?',
    triggers: { ko: ['찜질방', '온천', '목욕탕'], en: ['sauna', 'spa', 'bathhouse'] },
  },
  {
    key: 'picnic',
    ko: '소풍 가면 도시락에 뭐 싸 갈까?',
    en: 'If we went on a picnic, what should we pack?',
    triggers: { ko: ['소풍', '피크닉', '돗자리', '도시락'], en: ['picnic', 'lunchbox'] },
  },

  // Food & drinks
  {
    key: 'late_night_snack',
    ko: '야식으로 제일 땡기는 게 뭐야?',
    en: 'What do you crave most as a late-night snack?',
    triggers: { ko: ['야식', '치킨', '라면', '배달'], en: ['snack', 'chicken', 'ramen', 'delivery'] },
  },
  {
    key: 'breakfast',
    ko: '아침밥은 챙겨 먹는 편이야?',
    en: 'Do you usually eat breakfast?',
    triggers: { ko: ['아침밥', '아침식사', '브런치', '토스트'], en: ['breakfast', 'brunch', 'toast'] },
  },
  {
    key: 'home_cooked_or_eating_out',
    ko: '집밥이랑 외식 중에 뭐가 더 좋아?',
    en: 'Home-cooked meals or eating out — which do you prefer?',
    triggers: { ko: ['집밥', '외식', '반찬'], en: ['homemade', 'dining'] },
  },
  {
    key: 'cooking',
    ko: '자신 있는 요리 하나만 꼽으면 뭐야?',
    en: 'If you had to pick one dish you’re confident cooking, what would it be?',
    triggers: { ko: ['요리', '레시피', '부엌', '주방'], en: ['cooking', 'recipe', 'kitchen', 'cook'] },
  },
  {
    key: 'restaurant_hunting',
    ko: '맛집 찾아다니는 거 좋아해? 웨이팅도 괜찮아?',
    en: 'Do you like hunting for great restaurants? Even if there’s a long wait?',
    triggers: { ko: ['맛집', '웨이팅', '식당', '오마카세'], en: ['restaurant', 'foodie', 'waitlist'] },
  },
  {
    key: 'meat_or_seafood',
    ko: '고기파야, 해산물파야?',
    en: 'Are you more of a meat person or a seafood person?',
    triggers: { ko: ['고기', '삼겹살', '해산물', '초밥', '곱창'], en: ['meat', 'seafood', 'sushi', 'bbq'] },
  },
  {
    key: 'spicy_food',
    ko: '매운 거 잘 먹어? 어디까지 버틸 수 있어?',
    en: 'Can you handle spicy food? How far can you go?',
    triggers: { ko: ['마라탕', '불닭', '청양고추', '엽떡'], en: ['spicy', 'chili', 'pepper'] },
  },
  {
    key: 'fast_food',
    ko: '햄버거랑 피자 중에 하나만 먹어야 한다면 뭐 먹을래?',
    en: 'If you could only have burgers or pizza, which would you pick?',
    triggers: { ko: ['햄버거', '피자', '감자튀김', '버거'], en: ['burger', 'pizza', 'fastfood'] },
  },
  {
    key: 'dessert',
    ko: '제일 좋아하는 디저트는 뭐야?',
    en: 'What’s your favourite dessert?',
    triggers: { ko: ['디저트', '마카롱', '빵집', '베이커리'], en: ['dessert', 'bakery', 'macaron', 'pastry'] },
  },
  {
    key: 'fruit',
    ko: '제일 좋아하는 과일은 뭐야?',
    en: 'What’s your favourite fruit?',
    triggers: { ko: ['과일', '딸기', '복숭아', '망고'], en: ['fruit', 'strawberry', 'peach', 'mango'] },
  },
  {
    key: 'coffee_order',
    ko: '커피는 어떻게 마셔? 얼죽아야?',
    en: 'How do you take your coffee? Iced even in winter?',
    triggers: { ko: ['커피', '콜드브루', '라떼'], en: ['coffee', 'latte', 'americano', 'espresso'] },
  },
  {
    key: 'cafe_vibe',
    ko: '어떤 분위기의 카페를 제일 좋아해?',
    en: 'What kind of café atmosphere do you like best?',
    triggers: { ko: ['카페', '카공', '카페투어'], en: ['cafe', 'coffeeshop'] },
  },
  {
    key: 'favorite_drink',
    ko: '커피 말고 제일 좋아하는 음료는 뭐야?',
    en: 'Besides coffee, what’s your favourite drink?',
    triggers: { ko: ['음료', '버블티', '스무디', '탄산', '녹차'], en: ['tea', 'juice', 'smoothie', 'soda'] },
  },
  {
    key: 'alcohol',
    ko: '술 마시면 어떻게 변해? 주사 있어?',
    en: 'How do you change when you drink? Any funny drunk habits?',
    triggers: { ko: ['술', '소주', '음주', '술자리', '주량'], en: ['alcohol', 'soju', 'drunk', 'hangover'] },
  },
  {
    key: 'beer_or_wine',
    ko: '맥주, 와인, 칵테일 중에 오늘 같이 한잔한다면 뭐 마실래?',
    en: 'Beer, wine or a cocktail — if we had a drink together, what would you pick?',
    triggers: { ko: ['맥주', '와인', '칵테일', '하이볼', '막걸리'], en: ['beer', 'wine', 'cocktail', 'highball'] },
  },
  {
    key: 'convenience_store',
    ko: '편의점 가면 꼭 집어 오는 거 있어?',
    en: 'Is there something you always grab at the convenience store?',
    triggers: { ko: ['편의점', '삼각김밥', '편맥'], en: ['convenience'] },
  },
  {
    key: 'diet',
    ko: '다이어트 해본 적 있어? 제일 힘들었던 게 뭐야?',
    en: 'Have you ever been on a diet? What was the hardest part?',
    triggers: { ko: ['다이어트', '식단', '샐러드', '닭가슴살'], en: ['diet', 'salad', 'calorie'] },
  },

  // Seasons & weather
  {
    key: 'spring',
    ko: '봄 되면 같이 벚꽃 보러 갈래?',
    en: 'Shall we go see the cherry blossoms together when spring comes?',
    triggers: { ko: ['벚꽃', '꽃구경', '봄꽃', '봄바람'], en: ['spring', 'blossom'] },
  },
  {
    key: 'summer',
    ko: '여름 하면 뭐가 제일 먼저 떠올라?',
    en: 'What’s the first thing that comes to mind when you think of summer?',
    triggers: { ko: ['여름', '수박', '에어컨', '빙수', '팥빙수'], en: ['summer', 'watermelon', 'icecream'] },
  },
  {
    key: 'autumn',
    ko: '가을에 제일 하고 싶은 게 뭐야?',
    en: 'What do you most want to do in autumn?',
    triggers: { ko: ['가을', '단풍', '낙엽'], en: ['autumn', 'foliage'] },
  },
  {
    key: 'winter',
    ko: '겨울에 같이 하고 싶은 거 있어?',
    en: 'Is there something you’d like us to do together in winter?',
    triggers: { ko: ['겨울', '눈사람', '스키장', '붕어빵'], en: ['winter', 'snow', 'ski', 'snowman'] },
  },
  {
    key: 'rainy_day',
    ko: '비 오는 날엔 뭐 하는 게 제일 좋아?',
    en: 'What do you like doing most on a rainy day?',
    triggers: { ko: ['비', '장마', '우산', '빗소리'], en: ['rain', 'umbrella', 'rainy'] },
  },
  {
    key: 'favorite_weather',
    ko: '제일 좋아하는 날씨는 어떤 날씨야?',
    en: 'What’s your favourite kind of weather?',
    triggers: { ko: ['날씨', '햇살', '미세먼지', '맑음'], en: ['weather', 'sunshine', 'forecast', 'breeze'] },
  },
  {
    key: 'heat_or_cold',
    ko: '더위 많이 타, 추위 많이 타?',
    en: 'Do you struggle more with the heat or the cold?',
    triggers: { ko: ['더위', '추위', '폭염', '한파'], en: ['heat', 'cold', 'heatwave'] },
  },
  {
    key: 'sunrise_sunset',
    ko: '일출이랑 노을 중에 뭐 보러 가는 게 더 좋아?',
    en: 'Would you rather go see a sunrise or a sunset?',
    triggers: { ko: ['일출', '일몰', '노을'], en: ['sunrise', 'sunset', 'dusk'] },
  },
  {
    key: 'night_sky',
    ko: '언젠가 같이 별 보러 가고 싶지 않아?',
    en: 'Don’t you want to go stargazing together someday?',
    triggers: { ko: ['밤하늘', '야경', '은하수', '별똥별'], en: ['star', 'stargazing', 'galaxy'] },
  },

  // Daily life & habits
  {
    key: 'sleep_schedule',
    ko: '보통 몇 시에 자고 몇 시에 일어나?',
    en: 'What time do you usually go to bed and wake up?',
    triggers: { ko: ['잠', '수면', '불면증', '꿀잠'], en: ['sleep', 'bedtime', 'insomnia'] },
  },
  {
    key: 'nap',
    ko: '낮잠 자는 거 좋아해? 몇 분이면 딱 좋아?',
    en: 'Do you like naps? How long is the perfect one?',
    triggers: { ko: ['낮잠', '늦잠'], en: ['nap', 'snooze'] },
  },
  {
    key: 'morning_or_night',
    ko: '아침형 인간이야, 올빼미형이야?',
    en: 'Are you a morning person or a night owl?',
    triggers: { ko: ['아침형', '올빼미', '밤샘', '새벽'], en: ['morning', 'owl', 'dawn'] },
  },
  {
    key: 'morning_routine',
    ko: '아침에 일어나서 제일 먼저 하는 게 뭐야?',
    en: 'What’s the first thing you do after you wake up?',
    triggers: { ko: ['알람', '기상', '루틴', '모닝콜'], en: ['alarm', 'routine', 'wakeup'] },
  },
  {
    key: 'weekend',
    ko: '완벽한 주말을 보낸다면 어떤 모습일까?',
    en: 'What would your perfect weekend look like?',
    triggers: { ko: ['주말', '토요일', '일요일', '불금'], en: ['weekend', 'saturday', 'sunday'] },
  },
  {
    key: 'monday_blues',
    ko: '월요병은 어떻게 이겨내?',
    en: 'How do you get through the Monday blues?',
    triggers: { ko: ['월요일', '월요병'], en: ['monday'] },
  },
  {
    key: 'little_habit',
    ko: '너만 아는 너의 사소한 습관 있어?',
    en: 'Do you have a little habit only you know about?',
    triggers: { ko: ['습관', '버릇', '징크스'], en: ['habit', 'quirk', 'jinx'] },
  },
  {
    key: 'cleaning',
    ko: '청소는 몰아서 하는 편이야, 그때그때 하는 편이야?',
    en: 'Do you clean all at once, or little by little as you go?',
    triggers: { ko: ['청소', '빨래', '설거지', '집안일', '분리수거'], en: ['cleaning', 'laundry', 'chore', 'vacuum'] },
  },
  {
    key: 'phone_time',
    ko: '하루에 휴대폰 얼마나 봐? 제일 많이 쓰는 앱은 뭐야?',
    en: 'How much do you use your phone a day? Which app do you use most?',
    triggers: { ko: ['휴대폰', '핸드폰', '스마트폰', '어플'], en: ['phone', 'smartphone', 'app'] },
  },
  {
    key: 'social_media',
    ko: '인스타 같은 SNS 자주 해? 우리 사진 올리는 거 어때?',
    en: 'Do you use social media like Instagram a lot? How do you feel about posting us?',
    triggers: { ko: ['인스타', '셀카'], en: ['instagram', 'sns', 'selfie'] },
  },
  {
    key: 'texting_style',
    ko: '연락은 자주 하는 게 좋아, 적당히 하는 게 좋아?',
    en: 'Do you like texting often, or just now and then?',
    triggers: { ko: ['연락', '카톡', '답장', '문자'], en: ['message', 'reply', 'kakaotalk'] },
  },
  {
    key: 'phone_call',
    ko: '자기 전에 통화하는 거 좋아해?',
    en: 'Do you like talking on the phone before bed?',
    triggers: { ko: ['통화', '전화', '영상통화'], en: ['call', 'facetime', 'videocall'] },
  },
  {
    key: 'public_transport',
    ko: '지하철파야, 버스파야?',
    en: 'Are you team subway or team bus?',
    triggers: { ko: ['지하철', '버스', '대중교통', '환승'], en: ['subway', 'bus', 'metro'] },
  },
  {
    key: 'driving',
    ko: '운전하는 거 좋아해? 같이 드라이브 가고 싶은 곳 있어?',
    en: 'Do you like driving? Anywhere you’d like to go for a drive together?',
    triggers: { ko: ['운전', '드라이브', '면허', '자동차'], en: ['driving', 'drive', 'car', 'license'] },
  },
  {
    key: 'bicycle',
    ko: '자전거 탈 줄 알아? 한강에서 같이 탈래?',
    en: 'Can you ride a bike? Want to ride one along the river together?',
    triggers: { ko: ['자전거', '라이딩', '킥보드'], en: ['bike', 'bicycle', 'cycling'] },
  },

  // Love & us
  {
    key: 'love_language',
    ko: '내가 어떻게 해줄 때 제일 사랑받는다고 느껴?',
    en: 'When do you feel most loved by me?',
    triggers: { ko: ['애정표현', '칭찬', '사랑표현'], en: ['affection', 'compliment'] },
  },
  {
    key: 'skinship',
    ko: '손잡기랑 포옹 중에 뭐가 더 좋아?',
    en: 'Holding hands or a hug — which do you like more?',
    triggers: { ko: ['스킨십', '포옹', '뽀뽀', '손깍지'], en: ['hug', 'kiss', 'cuddle'] },
  },
  {
    key: 'first_impression',
    ko: '나 처음 봤을 때 첫인상이 어땠어?',
    en: 'What was your first impression of me?',
    triggers: { ko: ['첫인상', '첫만남', '소개팅'], en: ['impression', 'matchmaking'] },
  },
  {
    key: 'favorite_memory',
    ko: '우리 추억 중에 제일 좋아하는 순간이 언제야?',
    en: 'What’s your favourite moment out of all our memories?',
    triggers: { ko: ['추억', '회상'], en: ['memory', 'anecdote'] },
  },
  {
    key: 'next_date',
    ko: '다음 데이트 때 제일 하고 싶은 게 뭐야?',
    en: 'What would you most like to do on our next date?',
    triggers: { ko: ['데이트', '데이트룩'], en: ['date', 'dating'] },
  },
  {
    key: 'anniversary',
    ko: '기념일에 꼭 같이 하고 싶은 거 있어?',
    en: 'Is there something you really want us to do on our anniversary?',
    triggers: { ko: ['기념일', '백일', '주년', '투투'], en: ['anniversary'] },
  },
  {
    key: 'best_gift',
    ko: '지금까지 받은 선물 중에 제일 기억에 남는 게 뭐야?',
    en: 'What’s the most memorable present you’ve ever received?',
    triggers: { ko: ['선물', '꽃다발', '기프티콘'], en: ['gift', 'present', 'bouquet'] },
  },
  {
    key: 'surprise',
    ko: '깜짝 이벤트 받는 거 좋아해, 아니면 부담스러워?',
    en: 'Do you love surprises, or do they feel like too much?',
    triggers: { ko: ['이벤트', '깜짝파티'], en: ['surprise'] },
  },
  {
    key: 'nickname',
    ko: '내가 너를 부르는 애칭 중에 제일 좋은 게 뭐야?',
    en: 'Of all the pet names I call you, which one do you like best?',
    triggers: { ko: ['애칭', '별명'], en: ['nickname'] },
  },
  {
    key: 'jealousy',
    ko: '질투 많이 하는 편이야? 언제 제일 서운해?',
    en: 'Do you get jealous easily? When do you feel most hurt?',
    triggers: { ko: ['질투', '서운함', '섭섭함'], en: ['jealous', 'jealousy'] },
  },
  {
    key: 'making_up',
    ko: '우리가 다투고 나면 어떻게 화해하는 게 제일 좋아?',
    en: 'After we argue, what’s the best way for us to make up?',
    triggers: { ko: ['싸움', '화해', '다툼', '말다툼'], en: ['fight', 'argument', 'quarrel'] },
  },
  {
    key: 'comfort',
    ko: '힘들 때 내가 어떻게 해주면 제일 위로가 돼?',
    en: 'When you’re having a hard time, what comforts you the most from me?',
    triggers: { ko: ['하소연', '우울', '속상함'], en: ['comfort', 'sad', 'upset'] },
  },
  {
    key: 'couple_look',
    ko: '커플룩이나 커플템 맞추는 거 어때?',
    en: 'How do you feel about matching couple outfits or items?',
    triggers: { ko: ['커플룩', '커플템', '커플링', '반지'], en: ['matching', 'ring'] },
  },
  {
    key: 'letter',
    ko: '손편지 써준다면 받고 싶어? 첫 문장은 뭐였으면 좋겠어?',
    en: 'Would you like a handwritten letter from me? How should it begin?',
    triggers: { ko: ['편지', '손편지', '엽서'], en: ['letter', 'postcard'] },
  },

  // Special days
  {
    key: 'birthday_wish',
    ko: '생일에 제일 받고 싶은 건 뭐야?',
    en: 'What would you love most for your birthday?',
    triggers: { ko: ['생일', '케이크', '생일파티', '미역국'], en: ['birthday', 'cake'] },
  },
  {
    key: 'family_holidays',
    ko: '명절엔 보통 어떻게 보내?',
    en: 'How do you usually spend the big holidays?',
    triggers: { ko: ['명절', '추석', '설날', '연휴'], en: ['holiday', 'chuseok', 'lunar'] },
  },
  {
    key: 'christmas',
    ko: '크리스마스에 둘이 제일 하고 싶은 게 뭐야?',
    en: 'What would you most like to do together on Christmas?',
    triggers: { ko: ['성탄절', '트리', '산타', '캐롤', '루돌프'], en: ['santa', 'carol', 'reindeer'] },
  },
  {
    key: 'new_year_goal',
    ko: '올해 꼭 이루고 싶은 목표 있어?',
    en: 'Is there a goal you really want to reach this year?',
    triggers: { ko: ['새해', '목표', '다짐', '신년'], en: ['goal', 'resolution'] },
  },
  {
    key: 'valentine',
    ko: '발렌타인데이에 초콜릿 주고받는 거 챙기는 편이야?',
    en: 'Do you make a point of exchanging chocolate on Valentine’s Day?',
    triggers: { ko: ['발렌타인', '초콜릿'], en: ['valentine', 'chocolate'] },
  },
  {
    key: 'vacation',
    ko: '휴가 생기면 제일 먼저 뭐 하고 싶어?',
    en: 'If you got some time off, what would you do first?',
    triggers: { ko: ['휴가', '휴가철', '연차', '휴일', '방학'], en: ['vacation', 'getaway'] },
  },

  // Family, friends, growing up
  {
    key: 'family_memory',
    ko: '가족이랑 있었던 일 중에 제일 기억에 남는 추억이 뭐야?',
    en: 'What’s your most treasured memory with your family?',
    triggers: { ko: ['가족', '부모님', '엄마', '아빠'], en: ['family', 'parent', 'mom', 'dad'] },
  },
  {
    key: 'siblings',
    ko: '형제자매 있어? 어릴 때 사이 어땠어?',
    en: 'Do you have siblings? How did you get along as kids?',
    triggers: { ko: ['형제', '남매', '동생', '자매'], en: ['sibling', 'brother', 'sister'] },
  },
  {
    key: 'grandparents',
    ko: '할머니 할아버지랑 있었던 추억 있어?',
    en: 'Do you have a special memory with your grandparents?',
    triggers: { ko: ['할머니', '할아버지', '외할머니'], en: ['grandma', 'grandpa', 'grandparent'] },
  },
  {
    key: 'oldest_friend',
    ko: '제일 오래된 친구는 어떤 사람이야?',
    en: 'Who’s your oldest friend, and what are they like?',
    triggers: { ko: ['친구', '절친', '베프', '동창'], en: ['friend', 'bestie', 'buddy'] },
  },
  {
    key: 'childhood',
    ko: '어릴 때는 어떤 아이였어?',
    en: 'What kind of kid were you?',
    triggers: { ko: ['어린시절', '유치원', '동심', '놀이터'], en: ['childhood', 'kid', 'kindergarten', 'playground'] },
  },
  {
    key: 'childhood_dream',
    ko: '어릴 때 꿈은 뭐였어? 지금 꿈은 뭐야?',
    en: 'What did you dream of becoming as a kid? What’s your dream now?',
    triggers: { ko: ['꿈', '장래희망'], en: ['dream'] },
  },
  {
    key: 'hometown',
    ko: '고향에서 제일 그리운 게 뭐야?',
    en: 'What do you miss most about your hometown?',
    triggers: { ko: ['고향', '시골', '동네'], en: ['hometown', 'countryside', 'neighborhood'] },
  },
  {
    key: 'school_days',
    ko: '학창시절에 제일 기억에 남는 일이 뭐야?',
    en: 'What’s your most vivid memory from your school days?',
    triggers: { ko: ['학교', '학창시절', '교복', '졸업'], en: ['school', 'graduation'] },
  },
  {
    key: 'campus_life',
    ko: '대학 생활에서 제일 재밌었던 건 뭐야?',
    en: 'What was the most fun part of university life?',
    triggers: { ko: ['대학생활', '동아리', '캠퍼스', '엠티', '새내기'], en: ['college', 'university', 'campus', 'club'] },
  },

  // Study & work
  {
    key: 'assignments',
    ko: '과제는 미리미리 하는 편이야, 마감 직전에 몰아서 하는 편이야?',
    en: 'Do you do assignments early, or all at once right before the deadline?',
    triggers: { ko: ['과제', '마감', '레포트', '숙제'], en: ['assignment', 'homework', 'deadline', 'essay'] },
  },
  {
    key: 'study_spot',
    ko: '공부할 때 집중 제일 잘 되는 장소가 어디야?',
    en: 'Where do you focus best when you study?',
    triggers: { ko: ['공부', '도서관', '스터디', '열공'], en: ['study', 'library'] },
  },
  {
    key: 'exam_time',
    ko: '시험 기간엔 어떻게 버텨? 내가 뭐 해주면 힘이 날까?',
    en: 'How do you survive exam season? What could I do to cheer you on?',
    triggers: { ko: ['시험', '기말고사', '중간고사', '자격증'], en: ['exam', 'test', 'midterm'] },
  },
  {
    key: 'language_learning',
    ko: '배워보고 싶은 외국어 있어?',
    en: 'Is there a foreign language you’d like to learn?',
    triggers: { ko: ['외국어', '영어', '일본어', '중국어'], en: ['language', 'english', 'japanese'] },
  },
  {
    key: 'work_pride',
    ko: '일하면서 제일 뿌듯했던 순간은 언제야?',
    en: 'What’s the proudest moment you’ve had at work?',
    triggers: { ko: ['일', '회사', '직장', '출근', '업무'], en: ['work', 'job', 'office', 'workplace'] },
  },
  {
    key: 'after_work',
    ko: '퇴근하고 나면 제일 먼저 하고 싶은 게 뭐야?',
    en: 'What’s the first thing you want to do after work?',
    triggers: { ko: ['퇴근', '칼퇴', '야근'], en: ['overtime', 'commute'] },
  },
  {
    key: 'dream_job',
    ko: '지금 일 말고 해보고 싶은 직업 있어?',
    en: 'Is there another job you’d love to try?',
    triggers: { ko: ['직업', '취업', '이직', '면접'], en: ['career', 'interview', 'profession'] },
  },
  {
    key: 'part_time_job',
    ko: '해본 알바 중에 제일 기억에 남는 건 뭐야?',
    en: 'Which part-time job do you remember the most?',
    triggers: { ko: ['알바', '알바비'], en: ['parttime', 'barista', 'cashier'] },
  },

  // Money & shopping
  {
    key: 'saving_money',
    ko: '돈 모으면 제일 하고 싶은 게 뭐야?',
    en: 'What would you most like to do with money you’ve saved?',
    triggers: { ko: ['저축', '적금', '월급', '용돈', '재테크'], en: ['saving', 'salary', 'money', 'budget'] },
  },
  {
    key: 'best_purchase',
    ko: '요즘 산 것 중에 제일 잘 샀다 싶은 게 뭐야?',
    en: 'What’s the best thing you’ve bought lately?',
    triggers: { ko: ['지출', '카드값', '플렉스', '충동구매'], en: ['purchase', 'spending', 'splurge'] },
  },
  {
    key: 'lottery',
    ko: '로또 1등 되면 제일 먼저 뭐 할 거야?',
    en: 'If you won the lottery, what’s the first thing you’d do?',
    triggers: { ko: ['로또', '복권', '당첨'], en: ['lottery', 'jackpot'] },
  },
  {
    key: 'shopping_style',
    ko: '쇼핑할 때 오래 고민하는 편이야, 보자마자 사는 편이야?',
    en: 'When you shop, do you think it over for ages or buy on the spot?',
    triggers: { ko: ['쇼핑', '장바구니', '세일', '택배', '쇼핑몰'], en: ['shopping', 'sale', 'cart', 'mall'] },
  },
  {
    key: 'fashion_style',
    ko: '평소에 어떤 스타일로 옷 입는 걸 좋아해?',
    en: 'What kind of style do you like to wear day to day?',
    triggers: { ko: ['패션', '옷차림', '코디', '옷장'], en: ['fashion', 'outfit', 'clothing', 'wardrobe'] },
  },
  {
    key: 'shoes',
    ko: '신발은 편한 게 최고야, 예쁜 게 최고야?',
    en: 'Shoes: comfort first or looks first?',
    triggers: { ko: ['신발', '구두', '스니커즈', '슬리퍼'], en: ['shoe', 'sneaker', 'heel'] },
  },
  {
    key: 'hairstyle',
    ko: '해보고 싶은 헤어스타일 있어?',
    en: 'Is there a hairstyle you’d like to try?',
    triggers: { ko: ['미용실', '앞머리', '파마', '염색'], en: ['haircut', 'hairstyle', 'salon'] },
  },
  {
    key: 'scent',
    ko: '제일 좋아하는 향이 뭐야? 나한테서 나는 향은 어때?',
    en: 'What’s your favourite scent? And how do I smell to you?',
    triggers: { ko: ['향수', '향기', '디퓨저'], en: ['perfume', 'scent', 'fragrance'] },
  },
  {
    key: 'favorite_color',
    ko: '제일 좋아하는 색깔은 뭐야?',
    en: 'What’s your favourite colour?',
    triggers: { ko: ['색깔', '색상', '컬러'], en: ['color', 'colour'] },
  },

  // Health & feelings
  {
    key: 'health_routine',
    ko: '건강 챙기려고 꾸준히 하는 거 있어?',
    en: 'Is there something you do regularly to stay healthy?',
    triggers: { ko: ['건강', '영양제', '비타민', '건강검진'], en: ['health', 'vitamin', 'supplement'] },
  },
  {
    key: 'when_sick',
    ko: '아플 때 내가 어떻게 챙겨주면 좋겠어?',
    en: 'When you’re sick, how would you like me to take care of you?',
    triggers: { ko: ['감기', '병원', '몸살', '두통'], en: ['sick', 'flu', 'hospital', 'fever'] },
  },
  {
    key: 'stress_relief',
    ko: '스트레스 받을 때 어떻게 풀어?',
    en: 'How do you blow off stress?',
    triggers: { ko: ['스트레스', '짜증', '번아웃'], en: ['stress', 'burnout'] },
  },
  {
    key: 'healing',
    ko: '혼자만의 힐링 방법이 있다면 뭐야?',
    en: 'What’s your own way of recharging when you’re alone?',
    triggers: { ko: ['힐링', '휴식', '멍때리기', '재충전'], en: ['healing', 'relax', 'rest'] },
  },
  {
    key: 'last_cried',
    ko: '마지막으로 울었던 게 언제야?',
    en: 'When was the last time you cried?',
    triggers: { ko: ['눈물', '울음', '감동'], en: ['cry', 'tearjerker'] },
  },
  {
    key: 'funniest_lately',
    ko: '요즘 제일 크게 웃었던 일이 뭐야?',
    en: 'What made you laugh the hardest recently?',
    triggers: { ko: ['웃음', '개그', '유머', '드립'], en: ['funny', 'humor', 'joke', 'laugh'] },
  },
  {
    key: 'fears',
    ko: '세상에서 제일 무서워하는 게 뭐야?',
    en: 'What are you most afraid of in the world?',
    triggers: { ko: ['벌레', '바퀴벌레', '거미'], en: ['bug', 'insect', 'spider', 'fear'] },
  },
  {
    key: 'personality',
    ko: '너 MBTI 뭐야? 잘 맞는 것 같아?',
    en: 'What’s your MBTI? Do you think it fits you?',
    triggers: { ko: ['성격', '내향인', '외향인'], en: ['mbti', 'personality', 'introvert', 'extrovert'] },
  },
  {
    key: 'fortune',
    ko: '운세나 타로 같은 거 믿는 편이야?',
    en: 'Do you believe in things like horoscopes or tarot?',
    triggers: { ko: ['운세', '타로카드', '별자리', '사주'], en: ['horoscope', 'tarot', 'zodiac', 'fortune'] },
  },
  {
    key: 'hidden_talent',
    ko: '나한테 아직 안 보여준 숨은 특기 있어?',
    en: 'Do you have a hidden talent you haven’t shown me yet?',
    triggers: { ko: ['특기', '재능', '개인기'], en: ['talent', 'skill'] },
  },
  {
    key: 'hobby_now',
    ko: '요즘 푹 빠져 있는 취미 있어?',
    en: 'Is there a hobby you’re really into these days?',
    triggers: { ko: ['취미', '취미생활', '원데이'], en: ['hobby', 'pastime'] },
  },
  {
    key: 'sports_fan',
    ko: '응원하는 스포츠 팀 있어? 같이 직관 가볼래?',
    en: 'Do you root for a sports team? Want to watch a game live together?',
    triggers: { ko: ['야구', '축구', '스포츠', '직관', '농구'], en: ['baseball', 'soccer', 'football', 'sport', 'basketball'] },
  },
  {
    key: 'swimming',
    ko: '수영할 줄 알아? 물놀이 좋아해?',
    en: 'Can you swim? Do you like playing in the water?',
    triggers: { ko: ['수영', '수영장', '워터파크'], en: ['swimming', 'pool', 'swim'] },
  },
  {
    key: 'flowers',
    ko: '제일 좋아하는 꽃은 뭐야?',
    en: 'What’s your favourite flower?',
    triggers: { ko: ['꽃집', '장미', '튤립', '해바라기'], en: ['flower', 'rose', 'tulip'] },
  },
  {
    key: 'future_pet',
    ko: '나중에 같이 키워보고 싶은 동물 있어?',
    en: 'Is there an animal you’d like us to raise together someday?',
    triggers: { ko: ['반려동물', '햄스터', '앵무새', '거북이'], en: ['pet', 'hamster', 'parrot', 'turtle'] },
  },

  // Home & future
  {
    key: 'dream_house',
    ko: '나중에 살고 싶은 집은 어떤 모습이야?',
    en: 'What does your dream home look like?',
    triggers: { ko: ['인테리어', '신혼집', '마당', '전원주택'], en: ['house', 'interior', 'apartment', 'yard'] },
  },
  {
    key: 'living_alone',
    ko: '혼자 사는 거랑 가족이랑 사는 거 중에 뭐가 더 편해?',
    en: 'Is it more comfortable living on your own or with family?',
    triggers: { ko: ['자취', '원룸', '독립', '이사'], en: ['dorm', 'roommate', 'moving'] },
  },
  {
    key: 'five_years',
    ko: '5년 뒤에 우리는 뭐 하고 있을 것 같아?',
    en: 'What do you think we’ll be doing five years from now?',
    triggers: { ko: ['미래', '노후', '인생계획'], en: ['future', 'someday'] },
  },
  {
    key: 'wedding',
    ko: '결혼식을 한다면 어떤 분위기였으면 좋겠어?',
    en: 'If you had a wedding, what kind of atmosphere would you want?',
    triggers: { ko: ['결혼', '결혼식', '웨딩', '청첩장'], en: ['wedding', 'marriage', 'honeymoon'] },
  },
  {
    key: 'bucket_list',
    ko: '죽기 전에 꼭 해보고 싶은 일 하나만 말해줄래?',
    en: 'What’s one thing you definitely want to do in your lifetime?',
    triggers: { ko: ['버킷', '소원', '로망'], en: ['bucket', 'wish'] },
  },
  {
    key: 'diary',
    ko: '일기 쓰는 편이야? 오늘 하루를 한 줄로 쓴다면?',
    en: 'Do you keep a diary? How would you sum up today in one line?',
    triggers: { ko: ['일기', '다이어리', '일기장'], en: ['diary', 'journal'] },
  },
];
