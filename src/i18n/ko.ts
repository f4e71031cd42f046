// 한국어: the default language. Every user-facing string lives in these catalogs, one per
// part of the app, and in English beside them (en.ts).
import { common } from './ko/common';
import { accounts } from './ko/accounts';
import { pairing } from './ko/pairing';
import { chat } from './ko/chat';
import { questions } from './ko/questions';
import { ranking } from './ko/ranking';
import { calendar } from './ko/calendar';
import { couple } from './ko/couple';
import { push } from './ko/push';

export const ko = { ...common, ...accounts, ...pairing, ...chat, ...questions, ...ranking, ...calendar, ...couple, ...push };
