import { type Lang, messages } from '../core/kernel/i18n/index.ts';

// The only pages the sign-in needs itself: confirming a one-time link, and where it lands. No script, no inline style.

const html = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  );

function page(lang: Lang, body: string, head = ''): string {
  const t = messages(lang).webApp;
  return [
    '<!doctype html>',
    `<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">`,
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">${head}`,
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
    // Under the headers' `no-referrer`, browsers send `Origin: null` on a form post, which the Origin check refuses:
    // `same-origin` sends the real Origin to the app itself and still nothing to another site.
    '<meta name="referrer" content="same-origin">',
  );
}

export const linkUnusablePage = (lang: Lang) =>
  page(lang, `<p>${html(messages(lang).webApp.linkUnusable)}</p>`);

export const signedInPage = (lang: Lang, name: string) =>
  page(lang, `<p>${html(messages(lang).webApp.signedIn(name))}</p>`);

export const signedOutPage = (lang: Lang) => page(lang, `<p>${html(messages(lang).webApp.signedOut)}</p>`);

/**
 * The panel's shell: the built client's script and style (same origin, no inline script or style), and its words in
 * the staff member's language as data on the root element, so the page needs no second request to label itself.
 * Fonts: the system's stack only (nothing downloaded), which holds CJK faces on every system the clients run on.
 */
export function panelPage(lang: Lang, assets: { js: string; css: string | undefined }): string {
  const t = messages(lang).webApp;
  return [
    '<!doctype html>',
    `<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${html(t.title)}</title>`,
    ...(assets.css ? [`<link rel="stylesheet" href="/app/assets/${html(assets.css)}">`] : []),
    `<script type="module" src="/app/assets/${html(assets.js)}"></script>`,
    '</head>',
    `<body><div id="panel" data-lang="${lang}" data-labels="${html(JSON.stringify(t.panel))}"></div></body></html>`,
  ].join('\n');
}

/** A rep opening the console: it is for managers and above. */
export const staffOnlyPage = (lang: Lang) =>
  page(lang, `<p>${html(messages(lang).webApp.console.managersOnly)}</p>`);

/** The console's shell (src/web/client/console): as the panel's, with the console's words on its root element. */
export function consolePage(lang: Lang, assets: { js: string; css: string | undefined }): string {
  const t = messages(lang).webApp;
  return [
    '<!doctype html>',
    `<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${html(t.console.title)}</title>`,
    ...(assets.css ? [`<link rel="stylesheet" href="/app/assets/${html(assets.css)}">`] : []),
    `<script type="module" src="/app/assets/${html(assets.js)}"></script>`,
    '</head>',
    `<body><div id="console" data-lang="${lang}" data-labels="${html(JSON.stringify(t.console))}"></div></body></html>`,
  ].join('\n');
}
