import type { TagSource } from '../../../../db/schema.ts';
import { type Lang, messages } from '../../kernel/i18n/index.ts';

/** A tag as records show it in this language: its name, and who set it unless a person did. */
export function tagLabel(tag: { name: string; source: TagSource }, lang: Lang): string {
  return tag.source === 'manual' ? tag.name : messages(lang).taggedBy[tag.source](tag.name);
}
