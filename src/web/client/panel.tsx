import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Api } from './api.ts';
import { NoteEdit, ReminderEdit, StageEdit, TagEdit } from './edits.tsx';
import type { ChatBridge } from './hosts.ts';
import { Duplicates, MessageFile } from './record-parts.tsx';
import { QuickReplies, ReplyBox } from './replies.tsx';
import type { CustomerRecord, Labels } from './types.ts';

type Loaded = { kind: 'loading' } | { kind: 'missing' } | { kind: 'record'; record: CustomerRecord };

/** One customer's record beside the chat, with its quick edits and the replies. */
export function CustomerPanel(p: {
  api: Api;
  labels: Labels;
  bridge: ChatBridge | null;
  customerId: number;
}) {
  const { api, labels, customerId } = p;
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);

  const reload = useCallback(async () => {
    const res = await api.get<CustomerRecord>(`/app/api/customers/${customerId}`);
    setLoaded(res.status === 200 ? { kind: 'record', record: res.body } : { kind: 'missing' });
  }, [api, customerId]);
  useEffect(() => {
    void reload();
  }, [reload]);

  /** Runs a write, says how it went, and shows the record as it now is. */
  const write = useCallback(
    async (path: string, json: unknown, done = labels.saved) => {
      const res = await api.post<{ error?: string }>(`/app/api/customers/${customerId}${path}`, json);
      const ok = res.status >= 200 && res.status < 300;
      setStatus({ ok, text: ok ? done : labels.failed + (res.body.error ?? res.status) });
      if (ok) await reload();
      return ok;
    },
    [api, customerId, labels, reload],
  );

  if (loaded.kind === 'loading') return <p class="muted">{labels.loading}</p>;
  if (loaded.kind === 'missing')
    return (
      <p id="not-found" class="problem">
        {labels.notFound}
      </p>
    );
  const r = loaded.record;
  return (
    <article>
      <header>
        <h1 id="customer-name">{r.name}</h1>
        <span id="customer-stage" class="badge">
          {r.stage.name}
        </span>
      </header>
      {status && (
        <p id="status" class={status.ok ? 'ok' : 'problem'} role="status">
          {status.text}
        </p>
      )}
      <dl class="fields">
        {r.card.fields.map((f) => (
          <div key={f.label}>
            <dt>{f.label}</dt>
            <dd>{f.value}</dd>
          </div>
        ))}
      </dl>
      <TagEdit labels={labels} tags={r.tags} write={write} />
      <StageEdit labels={labels} stage={r.stage.key} stages={r.stages} write={write} />
      {r.card.sections.map((s) => (
        <section key={s.heading} class="card-section">
          <h2>{s.heading}</h2>
          <p class="pre">{s.text}</p>
        </section>
      ))}
      <section>
        <h2>{labels.recent}</h2>
        <ul id="timeline" class="list timeline">
          {r.timeline.map((m) => (
            <li key={m.at + m.text} class={m.direction === 'in' ? 'in' : 'out'}>
              <span class="who">{m.author}</span>
              <span class="pre">{m.text}</span>
              <MessageFile labels={labels} message={m} />
            </li>
          ))}
        </ul>
      </section>
      <Duplicates api={api} labels={labels} customerId={r.id} merged={reload} />
      <NoteEdit labels={labels} write={write} />
      <ReminderEdit labels={labels} write={write} />
      <QuickReplies api={api} labels={labels} bridge={p.bridge} customerId={r.id} write={write} />
      <ReplyBox labels={labels} write={write} />
    </article>
  );
}
