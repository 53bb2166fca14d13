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
