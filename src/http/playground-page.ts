// The playground page's HTML and CSS, as strings: no files are read at run time (the app also runs on Workers).
// The script is in playground-script.ts. Customer data never enters this markup: the script adds it as text nodes.

const escapeAttribute = (value: string) => value.replace(/[&"<>']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The page, carrying the per-process secret its script sends with every request. */
export function playgroundHtml(secret: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="liaison-playground-secret" content="${escapeAttribute(secret)}">
<title>Liaison playground (local)</title>
<link rel="icon" href="/playground/assets/icon.svg">
<link rel="stylesheet" href="/playground/assets/style.css">
<script src="/playground/assets/app.js" defer></script>
</head>
<body>
<header class="banner" role="note">
  <strong>Local playground — a simulation on this computer.</strong>
  It is not connected to WeCom, Feishu/Lark, Telegram or any real platform, and nothing here reaches a real person.
  <span lang="zh">本地演练场：仅在本机模拟，未连接任何真实平台。</span>
  <small>Every message takes Liaison's real path: <code>POST /webhooks/web</code> → inbox → core → outbox → this page.</small>
</header>
<main>
  <section class="pane" aria-labelledby="customer-title">
    <h2 id="customer-title">Customer <small>on a simulated chat app</small></h2>
    <label class="row">Customer name
      <input id="customer-name" list="known-customers" maxlength="64" value="Wang Fang" autocomplete="off">
    </label>
    <datalist id="known-customers"></datalist>
    <div id="customer-chat" class="chat" aria-live="polite"></div>
    <form id="customer-form" class="compose">
      <input id="customer-text" maxlength="4000" autocomplete="off"
        placeholder="Write as the customer, e.g. I want to file a complaint">
      <button id="customer-send" type="submit">Send</button>
    </form>
  </section>
  <section class="pane" aria-labelledby="staff-title">
    <h2 id="staff-title">Staff <small>a rep or manager, talking to the Liaison bot</small></h2>
    <label class="row">Acting as <select id="staff-select"></select></label>
    <div class="tabs" role="tablist">
      <button id="tab-private" type="button" role="tab" aria-selected="true">Private chat with Liaison</button>
      <button id="tab-group" type="button" role="tab" aria-selected="false">Team group (digests)</button>
    </div>
    <div id="staff-chat" class="chat" aria-live="polite"></div>
    <div class="shortcuts">
      <button type="button" data-say="/help">/help</button>
      <button type="button" id="find-customer">/find this customer</button>
      <button type="button" data-say="/mine">/mine</button>
      <button type="button" id="digest-preview">Digest preview</button>
    </div>
    <form id="staff-form" class="compose">
      <input id="staff-text" maxlength="4000" autocomplete="off" placeholder="A command, e.g. /find Wang Fang">
      <button id="staff-send" type="submit">Send</button>
    </form>
  </section>
</main>
<footer id="status" aria-live="polite">Connecting…</footer>
</body>
</html>
`;
}

export const playgroundCss = `
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Noto Sans CJK SC", sans-serif;
  color: #1f2329; background: #f2f3f5; display: flex; flex-direction: column; min-height: 100vh; }
.banner { background: #fff4d6; border-bottom: 2px solid #f0a020; padding: 10px 16px; }
.banner small { display: block; color: #646a73; }
.banner span { margin-left: 6px; }
main { flex: 1; display: grid; grid-template-columns: 1fr 1fr; gap: 12px; padding: 12px; min-height: 0; }
.pane { background: #fff; border-radius: 8px; padding: 12px; display: flex; flex-direction: column; min-height: 70vh;
  box-shadow: 0 1px 3px rgba(0,0,0,.08); }
h2 { margin: 0 0 8px; font-size: 16px; }
h2 small { font-weight: normal; color: #646a73; }
.row { display: flex; gap: 8px; align-items: center; margin-bottom: 8px; }
.row input, .row select { flex: 1; padding: 4px 6px; }
.tabs { display: flex; gap: 4px; margin-bottom: 6px; }
.tabs button { border: 1px solid #d0d3d6; background: #f7f8fa; border-radius: 6px 6px 0 0; padding: 4px 10px; }
.tabs button[aria-selected="true"] { background: #2f6fde; border-color: #2f6fde; color: #fff; }
.tabs button.unread::after { content: " ●"; color: #d03050; }
.tabs button[aria-selected="true"].unread::after { color: #fff; }
.chat { flex: 1; overflow-y: auto; border: 1px solid #e4e6e9; border-radius: 6px; padding: 8px; background: #fafbfc;
  display: flex; flex-direction: column; gap: 6px; min-height: 300px; max-height: 62vh; }
.msg { max-width: 85%; padding: 6px 10px; border-radius: 8px; background: #fff; border: 1px solid #e4e6e9;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.msg.self { align-self: flex-end; background: #dbe8ff; border-color: #c2d6fb; }
.msg .author { display: block; font-size: 12px; color: #646a73; }
.msg img.chart { display: block; max-width: 100%; margin-top: 6px; border-radius: 4px; }
.card { border-left: 3px solid #2f6fde; padding-left: 8px; }
.card .title { font-weight: 600; }
.card dl { margin: 4px 0; display: grid; grid-template-columns: auto 1fr; gap: 0 8px; }
.card dt { color: #646a73; }
.card dd { margin: 0; }
.card .section { margin-top: 4px; }
.card .buttons { display: flex; gap: 6px; margin-top: 6px; flex-wrap: wrap; }
.card .buttons button.primary { background: #2f6fde; color: #fff; border: 1px solid #2f6fde; }
.shortcuts { display: flex; gap: 6px; margin: 6px 0; flex-wrap: wrap; }
.compose { display: flex; gap: 6px; }
.compose input { flex: 1; padding: 6px 8px; }
button { cursor: pointer; padding: 4px 10px; border-radius: 6px; border: 1px solid #d0d3d6; background: #fff; }
footer { padding: 6px 16px; color: #646a73; font-size: 12px; }
footer.error { color: #d03050; }
@media (max-width: 800px) { main { grid-template-columns: 1fr; } }
`;

/** A speech bubble, so the browser does not ask for /favicon.ico (a 404 in the console). */
export const playgroundIcon =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><path fill="#2f6fde" d="M2 2h12v9H6l-4 3z"/></svg>';
