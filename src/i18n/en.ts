// English, the second language: each part typed against its Korean one (ko/), so a missing string does not compile.
import type { ko } from './ko';
import { common } from './en/common';
import { accounts } from './en/accounts';
import { pairing } from './en/pairing';
import { chat } from './en/chat';
import { questions } from './en/questions';
import { ranking } from './en/ranking';
import { calendar } from './en/calendar';
import { couple } from './en/couple';
import { push } from './en/push';

export const en: Record<keyof typeof ko, string> = { ...common, ...accounts, ...pairing, ...chat, ...questions, ...ranking, ...calendar, ...couple, ...push };
