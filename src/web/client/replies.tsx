import { useEffect, useState } from 'preact/hooks';
import type { Api } from './api.ts';
import type { Write } from './edits.tsx';
import type { ChatBridge } from './hosts.ts';
import type { Labels, QuickReply } from './types.ts';

/**
 * The staff member's quick replies (话术). In WeCom's sidebar one goes into the chat input (`sendChatMessage`), for
 * the rep to send from their own account; elsewhere it is sent through Liaison as `:key`. The server fills each in for
 * the open customer, so the list shows what would be sent.
 */
export function QuickReplies(p: {
  api: Api;
  labels: Labels;
  bridge: ChatBridge | null;
  customerId: number;
  write: Write;
}) {
  const [rows, setRows] = useState<QuickReply[] | null>(null);
  const [handed, setHanded] = useState<string | null>(null);
  useEffect(() => {
    void p.api
      .get<{ quickReplies?: QuickReply[] }>(`/app/api/customers/${p.customerId}/quick-replies`)
      .then((res) => setRows(res.body.quickReplies ?? []));
  }, [p.api, p.customerId]);
  const use = async (q: QuickReply) => {
    if (p.bridge) {
      await p.bridge.sendChatMessage({
        msgtype: 'text',
        // The server filled the text in for this customer, as `:key` would send it.
        text: { content: q.text },
      });
      setHanded(q.key);
      return;
    }
    await p.write('/reply', { text: `:${q.key}` }, p.labels.sent);
  };
  return (
    <section>
      <h2>{p.labels.quickReplies}</h2>
      {rows?.length === 0 && <p class="muted">{p.labels.noQuickReplies}</p>}
      <ul id="quick-replies" class="list">
        {rows?.map((q) => (
          <li key={q.key} class="quick-reply" data-key={q.key}>
            <span class="pre">{q.text}</span>
            <button type="button" onClick={() => use(q)}>
              {p.bridge ? p.labels.putInChat : p.labels.send}
              {handed === q.key ? ' ✓' : ''}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ReplyBox(p: { labels: Labels; write: Write }) {
  const [text, setText] = useState('');
  const send = async (e: Event) => {
    e.preventDefault();
    if (text.trim() && (await p.write('/reply', { text }, p.labels.sent))) setText('');
  };
  return (
    <form onSubmit={send}>
      <h2>{p.labels.reply}</h2>
      <textarea id="reply-text" rows={3} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      <button id="reply-send" type="submit">
        {p.labels.send}
      </button>
    </form>
  );
}
