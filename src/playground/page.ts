// The playground page's HTML, as a string: no files are read at run time (the app also runs on Workers). Its words
// come from the catalogue (messages.ts), its style from style.ts and its script from
// client.ts. Customer data never enters this markup: the script adds it as text nodes.
import type { Lang } from '../core/kernel/i18n/index.ts';
import { fill, type PlaygroundMessages, playgroundMessages } from './messages.ts';

/** The customer the page starts as; the walkthrough in docs/user/playground.md uses this name (a name, so not translated). */
export const DEFAULT_CUSTOMER = 'Wang Fang';

const escapeHtml = (value: string) => value.replace(/[&"<>']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The `lang` of the page: also what its script reads to pick its catalogue. */
export const htmlLang = (lang: Lang) => (lang === 'zh' ? 'zh-CN' : 'en');

/** The page in one language, carrying the per-process secret its script sends with every request. */
export function playgroundHtml(secret: string, lang: Lang): string {
  const m = playgroundMessages[lang];
  const t = (key: keyof PlaygroundMessages) => escapeHtml(m[key]);
  const other: Lang = lang === 'zh' ? 'en' : 'zh';
  const path = fill(t('bannerPath'), { path: '<code>POST /webhooks/web</code>' });
  return `<!doctype html>
<html lang="${htmlLang(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="liaison-playground-secret" content="${escapeHtml(secret)}">
<title>${t('title')}</title>
<link rel="icon" href="/playground/assets/icon.svg">
<link rel="stylesheet" href="/playground/assets/style.css">
<script src="/playground/assets/app.js" defer></script>
</head>
<body>
<header class="banner" role="note">
  <a class="language" id="switch-language" href="?lang=${other}" hreflang="${htmlLang(other)}" lang="${htmlLang(other)}">${t('switchLanguage')}</a>
  <strong>${t('bannerLead')}</strong>
  ${t('bannerText')}
  <small>${path}</small>
</header>
<main>
  <section class="pane" aria-labelledby="customer-title">
    <h2 id="customer-title">${t('customerTitle')} <small>${t('customerSubtitle')}</small></h2>
    <label class="row">${t('customerName')}
      <input id="customer-name" list="known-customers" maxlength="64" value="${escapeHtml(DEFAULT_CUSTOMER)}" autocomplete="off">
    </label>
    <datalist id="known-customers"></datalist>
    <div id="customer-chat" class="chat" aria-live="polite"></div>
    <form id="customer-form" class="compose">
      <input id="customer-text" maxlength="4000" autocomplete="off" placeholder="${t('customerPlaceholder')}">
      <button id="customer-send" type="submit">${t('send')}</button>
    </form>
  </section>
  <section class="pane" aria-labelledby="staff-title">
    <h2 id="staff-title">${t('staffTitle')} <small>${t('staffSubtitle')}</small></h2>
    <label class="row">${t('actingAs')} <select id="staff-select"></select></label>
    <div class="tabs" role="tablist">
      <button id="tab-private" type="button" role="tab" aria-selected="true">${t('tabPrivate')}</button>
      <button id="tab-group" type="button" role="tab" aria-selected="false">${t('tabGroup')}</button>
    </div>
    <div id="staff-chat" class="chat" aria-live="polite"></div>
    <div class="shortcuts">
      <button type="button" data-say="/help">/help</button>
      <button type="button" id="find-customer">${t('findCustomer')}</button>
      <button type="button" data-say="/mine">/mine</button>
      <button type="button" id="digest-preview">${t('digestPreview')}</button>
    </div>
    <form id="staff-form" class="compose">
      <input id="staff-text" maxlength="4000" autocomplete="off" placeholder="${t('staffPlaceholder')}">
      <button id="staff-send" type="submit">${t('send')}</button>
    </form>
  </section>
</main>
<footer id="status" aria-live="polite">${t('connecting')}</footer>
</body>
</html>
`;
}

/** A speech bubble, so the browser does not ask for /favicon.ico (a 404 in the console). */
export const playgroundIcon =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><path fill="#2f6fde" d="M2 2h12v9H6l-4 3z"/></svg>';
