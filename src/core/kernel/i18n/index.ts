import { assistant } from './assistant.ts';
import type { Messages } from './catalogue.ts';
import { adminCommands } from './commands-admin.ts';
import { customerCommands } from './commands-customers.ts';
import { marketingCommands } from './commands-marketing.ts';
import { recordCommands } from './commands-records.ts';
import { common } from './common.ts';
import { dealCommands, dealViews } from './deals.ts';
import { importProblems } from './import-problems.ts';
import type { Lang } from './lang.ts';
import { messageKinds } from './message-kinds.ts';
import { notices } from './notices.ts';
import { reports } from './reports.ts';
import { views } from './views.ts';
import { webApp } from './web-app.ts';

export { inEach, type Localized, lookup, type Messages } from './catalogue.ts';
export { LANGS, type Lang, languageOf, languageOfHeader, promptLanguageName } from './lang.ts';

/*
 * Message catalogues: everything the bot says to people, in Chinese and English. Each area's file defines the
 * Chinese catalogue and types the English one as `Messages<typeof zh>`, so both have the same keys and parameters
 * (`tsc` fails on a key missing or extra in one of them). A message that takes parameters is a function of them;
 * keep its wording, punctuation and spacing in the catalogue and pass it only data (names, numbers, lists already
 * written out). test/core/messages.test.ts checks both languages print something for every key, and that no code
 * outside this folder picks text by language again.
 */

const zh = {
  ...common.zh,
  ...notices.zh,
  ...views.zh,
  ...dealViews.zh,
  ...reports.zh,
  ...messageKinds.zh,
  webApp: webApp.zh.webApp,
  importProblems: importProblems.zh,
  assistant: assistant.zh,
  commands: {
    ...customerCommands.zh,
    ...recordCommands.zh,
    ...dealCommands.zh,
    ...marketingCommands.zh,
    ...adminCommands.zh,
    ...webApp.zh.commands,
  },
};

const en: Messages<typeof zh> = {
  ...common.en,
  ...notices.en,
  ...views.en,
  ...dealViews.en,
  ...reports.en,
  ...messageKinds.en,
  webApp: webApp.en.webApp,
  importProblems: importProblems.en,
  assistant: assistant.en,
  commands: {
    ...customerCommands.en,
    ...recordCommands.en,
    ...dealCommands.en,
    ...marketingCommands.en,
    ...adminCommands.en,
    ...webApp.en.commands,
  },
};

/** The whole catalogue of one language. */
export type Catalogue = Messages<typeof zh>;

const catalogues: Readonly<Record<Lang, Catalogue>> = { zh, en };

/** Everything the bot says, in one language: `messages(lang).commands.reply.sent(who, where)`. */
export const messages = (lang: Lang): Catalogue => catalogues[lang];
