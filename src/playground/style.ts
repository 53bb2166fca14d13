// The playground page's style sheet, as a string (no files at run time). The font stack names the common Chinese
// system fonts of macOS, Windows and Linux before the generic family, so Chinese renders wherever one is installed.

// system-ui comes after the CJK faces: on Linux Chromium it claims CJK characters it then draws as empty boxes.
const FONTS = [
  '-apple-system',
  '"Segoe UI"',
  '"PingFang SC"',
  '"Hiragino Sans GB"',
  '"Microsoft YaHei"',
  '"Noto Sans CJK SC"',
  '"Source Han Sans SC"',
  '"WenQuanYi Micro Hei"',
  'system-ui',
  'sans-serif',
].join(', ');

export const playgroundCss = `
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 ${FONTS};
  color: #1f2329; background: #f2f3f5; display: flex; flex-direction: column; min-height: 100vh; }
button, input, select { font: inherit; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, ${FONTS}; }
.banner { background: #fff4d6; border-bottom: 2px solid #f0a020; padding: 10px 16px; }
.banner small { display: block; color: #646a73; }
.banner .language { float: right; margin-left: 12px; color: #2f6fde; }
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
