import { type Lang, messages } from '../../kernel/i18n/index.ts';
import type { StageDefinition } from '../../kernel/runtime.ts';

/** A stage's name in a language; the key itself for a stage no longer configured. */
export const stageName = (stages: readonly StageDefinition[], key: string, lang: Lang): string =>
  stages.find((s) => s.key === key)?.[lang] ?? key;

/** The stage a person typed: its key, Chinese or English name, case-insensitive. */
export function findStage<T extends StageDefinition>(stages: readonly T[], typed: string): T | undefined {
  const t = typed.trim().toLowerCase();
  return stages.find((s) => s.key === t || s.zh === typed.trim() || s.en.toLowerCase() === t);
}

/** The list of stages for an error message: `潜在(lead) 意向(interested) …`. */
export function stageChoices(stages: readonly StageDefinition[], lang: Lang): string {
  const t = messages(lang);
  return stages.map((s) => t.stageChoice(s.key, s[lang])).join(t.listSep);
}
