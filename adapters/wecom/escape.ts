/** Full-width look-alikes: WeCom documents no escape in its markup, so the characters that make it are replaced. */
const LOOK_ALIKE: Record<string, string> = { '<': '＜', '>': '＞', '*': '＊', '`': '｀', '&': '＆' };

/**
 * Plain text for WeCom markdown (app and group robot messages): no `<@member>` mention, `<font>` tag, bold, code,
 * quote, heading, `[text](url)` link or bare `http://` link survives; `#12` (a customer's id) stays as it is.
 */
export function escapeWecomMarkdown(text: string): string {
  return text
    .replace(/[<>*`&]/g, (c) => LOOK_ALIKE[c] ?? c)
    .replace(/\](?=\s*\()/g, '］')
    .replace(/:\/\//g, '：//')
    .replace(/^([ \t]*)#(?!\d)/gm, '$1＃');
}

/** Plain text for WeCom text messages to members and app chats, which show `<a href=…>` tags as links. */
export function escapeWecomText(text: string): string {
  return text.replace(/</g, '＜').replace(/>/g, '＞');
}
