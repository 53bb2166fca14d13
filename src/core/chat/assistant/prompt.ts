import { assistantToolsV2, fillTemplate } from '../../../../prompts/index.ts';
import { type Lang, promptLanguageName } from '../../kernel/i18n/index.ts';
import type { OrgSettings } from '../../kernel/runtime.ts';

export const ASSISTANT_PROMPT_VERSION = assistantToolsV2.version;

/** The system prompt: the rules, the current time in the organisation's time zone, its stages, the rep's language. */
export function assistantSystemPrompt(org: OrgSettings, now: number, lang: Lang): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: org.timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'long',
  }).formatToParts(new Date(now));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return fillTemplate(assistantToolsV2.text, {
    now: `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`,
    weekday: part('weekday'),
    timeZone: org.timeZone,
    stages: org.stages.map((s) => `${s.key} (${s.zh}/${s.en})`).join(', '),
    dealStages: org.dealStages.map((s) => `${s.key} (${s.zh}/${s.en})`).join(', '),
    language: promptLanguageName(lang),
  });
}
