import { asSections, type Card, type TextSection } from '../../src/core/outbound.ts';
import { escapeCardMarkdown } from './escape.ts';

/** Feishu's limit for a card message. */
export const CARD_LIMIT_BYTES = 30 * 1024;

const bytes = (s: string) => new TextEncoder().encode(s).length;

/**
 * A Liaison card as Feishu card JSON 2.0: header, a markdown block of fields, sections, the picture (an uploaded
 * image's key, e.g. the digest chart) below the text, and buttons that call back (card.action.trigger) with their
 * value. Sections are dropped from the end until the card fits Feishu's 30 KB. Every text is plain: markdown
 * elements get it escaped (only the bold of labels and headings is markup), the rest is `plain_text`.
 */
export function renderCard(card: Card, maxBytes = CARD_LIMIT_BYTES, imageKey?: string): string | null {
  for (let keep = card.sections.length; keep >= 0; keep--) {
    const json = JSON.stringify(toJson({ ...card, sections: card.sections.slice(0, keep) }, imageKey));
    if (bytes(json) <= maxBytes) return json;
  }
  return null;
}

function toJson(card: Card, imageKey: string | undefined) {
  const fields = card.fields
    .map((f) => `**${escapeCardMarkdown(f.label)}**：${escapeCardMarkdown(f.value)}`)
    .join('\n');
  return {
    schema: '2.0',
    config: { update_multi: true },
    header: { title: { tag: 'plain_text', content: card.title }, template: 'blue' },
    body: {
      elements: [
        ...(fields ? [{ tag: 'markdown', content: fields }] : []),
        ...asSections(card.sections)
          .map(sectionMarkdown)
          .filter(Boolean)
          .map((content) => ({ tag: 'markdown', content })),
        ...(imageKey
          ? [
              {
                tag: 'img',
                img_key: imageKey,
                alt: { tag: 'plain_text', content: card.title },
                scale_type: 'fit_horizontal',
                preview: true,
              },
            ]
          : []),
        ...(card.buttons.length > 0
          ? [
              {
                tag: 'column_set',
                columns: card.buttons.map((b) => ({
                  tag: 'column',
                  width: 'auto',
                  elements: [
                    {
                      tag: 'button',
                      text: { tag: 'plain_text', content: b.label },
                      type: b.primary ? 'primary_filled' : 'default',
                      behaviors: [{ type: 'callback', value: b.value }],
                    },
                  ],
                })),
              },
            ]
          : []),
      ],
    },
  };
}

function sectionMarkdown({ heading, text, quote }: TextSection): string {
  const body = text ? escapeCardMarkdown(text) : '';
  const quoted = quote ? body.replace(/^/gm, '> ') : body;
  return heading ? `**${escapeCardMarkdown(heading)}**${quoted ? `\n${quoted}` : ''}` : quoted;
}
