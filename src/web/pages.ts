import { type Lang, messages } from '../core/kernel/i18n/index.ts';

// The only pages the sign-in needs itself: confirming a one-time link, and where it lands. No script, no inline style.

const html = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

function page(lang: Lang, body: string): string {
  const t = messages(lang).webApp;
  return [
    '<!doctype html>',
    `<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${html(t.title)}</title></head>`,
    `<body><main>${body}</main></body></html>`,
  ].join('\n');
}

/**
 * Asks before using a link: opening it signs nobody in (a chat's link preview fetches it too); the button posts the
 * token back, and only that uses it.
 */
export function confirmLinkPage(lang: Lang, name: string, token: string): string {
  const t = messages(lang).webApp;
  return page(
    lang,
    [
      `<p>${html(t.confirm(name))}</p>`,
      '<form method="post" action="/app/sign-in/link">',
      `<input type="hidden" name="token" value="${html(token)}">`,
      `<button type="submit">${html(t.button)}</button>`,
      '</form>',
    ].join('\n'),
  );
}

export const linkUnusablePage = (lang: Lang) =>
  page(lang, `<p>${html(messages(lang).webApp.linkUnusable)}</p>`);

export const signedInPage = (lang: Lang, name: string) =>
  page(lang, `<p>${html(messages(lang).webApp.signedIn(name))}</p>`);

export const signedOutPage = (lang: Lang) => page(lang, `<p>${html(messages(lang).webApp.signedOut)}</p>`);
