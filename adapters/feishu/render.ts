import { asSections, type Card, type TextSection } from '../../src/core/ports/outbound.ts';

/**
 * Characters Feishu card markdown reads as markup anywhere in a line: emphasis, links and images, code, tables, emoji
 * (`:OK:`), formulas, tags (`<at>`, `<font>`, `<link>`, `<a>`…) and entities.
 */
const INLINE_MARKUP = /[\\`*_~[\]()!|<>&$:]/g;
/** What opens a block only at the start of a line: a heading, a list, a setext or thematic line, a code block. */
const LINE_START = /^(?:[ \t]+|#|[+=-]|\d+\.)/;
/** A word joiner (U+2060): invisible, but it keeps a URL scanner from reading `http:` and `//` as one link. */
const WORD_JOINER = '\u2060';

const entity = (c: string) => `&#${c.charCodeAt(0)};`;

/** Plain text for a Feishu card markdown element: the markup characters as the HTML entities Feishu documents. */
export function escapeCardMarkdown(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) =>
      line
        // Entities hide `://` from the markdown parser; the joiner hides it from a client that links decoded text.
        .replace(/:\/\//g, `:${WORD_JOINER}//`)
        .replace(INLINE_MARKUP, entity)
        .replace(LINE_START, (start) =>
          /^\s/.test(start) ? '&nbsp;'.repeat(start.length) : start.replace(/\D/, entity),
        ),
    )
    .join('\n');
}

/**
 * Plain text for a Feishu text message, which reads `<at user_id=…>` mentions, style tags and `[text](url)` links:
 * their brackets become full-width look-alikes (entities would show as typed there).
 */
export function escapeFeishuText(text: string): string {
  return text
    .replace(/</g, '＜')
    .replace(/>/g, '＞')
    .replace(/\](?=\s*\()/g, '］');
}

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
