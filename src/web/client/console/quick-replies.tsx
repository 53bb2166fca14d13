import { useEffect, useState } from 'preact/hooks';
import { type ConsoleApi, type ConsoleLabels, ConsoleRefused } from './console-api.ts';

interface QuickReply {
  id: number;
  key: string;
  text: string;
  team: { id: number; name: string | null } | null;
}

interface Owners {
  organisation: boolean;
  teams: Array<{ id: number; name: string }>;
  ownTeam: number | null;
}

/** The placeholders the server fills when a quick reply is sent (records/quick-replies/expand.ts). */
const PLACEHOLDER = /(\{name\})/;

/** A quick reply's text with its placeholders marked as such (the rest is plain text). */
function Filled({ text }: { text: string }) {
  return (
    <>
      {text.split(PLACEHOLDER).map((part, i) =>
        PLACEHOLDER.test(part) ? (
          <mark key={i} class="placeholder">
            {part}
          </mark>
        ) : (
          part
        ),
      )}
    </>
  );
}

/** Quick replies (话术库): the library a manager's team sends from; add, edit and delete where they may. */
export function QuickReplies({ api, labels }: { api: ConsoleApi; labels: ConsoleLabels; lang: string }) {
  const t = labels.quickReplies;
  const [items, setItems] = useState<QuickReply[] | null>(null);
  const [owners, setOwners] = useState<Owners>({ organisation: false, teams: [], ownTeam: null });
  const [draft, setDraft] = useState({ key: '', text: '', owner: '' });
  const [editing, setEditing] = useState<{ id: number; key: string; text: string } | null>(null);
  const [status, setStatus] = useState(labels.loading);

  const reasons: Record<string, string> = {
    not_allowed: t.notAllowed,
    no_team: t.noTeam,
    invalid_key: t.invalidKey,
    empty: t.empty,
    too_long: t.tooLong,
    key_taken: t.keyTaken,
  };
  const failed = (e: unknown) =>
    setStatus(
      e instanceof ConsoleRefused && reasons[e.message]
        ? (reasons[e.message] ?? '')
        : labels.failed + (e instanceof Error ? e.message : String(e)),
    );

  const load = async () =>
    setItems((await api.get<{ items: QuickReply[] }>('/app/api/console/quick-replies')).items);
  useEffect(() => {
    api
      .get<Owners>('/app/api/console/quick-replies/owners')
      .then((o) => {
        setOwners(o);
        const own = o.teams.some((x) => x.id === o.ownTeam) ? String(o.ownTeam) : o.organisation ? 'org' : '';
        setDraft((d) => ({ ...d, owner: own || String(o.teams[0]?.id ?? '') }));
      })
      .catch(failed);
    load()
      .then(() => setStatus(''))
      .catch(failed);
  }, [api]);

  const mayChange = (q: QuickReply) =>
    q.team === null ? owners.organisation : owners.teams.some((x) => x.id === q.team?.id);
  const after = async (call: Promise<unknown>, done: string) => {
    try {
      await call;
      await load();
      setStatus(done);
      return true;
    } catch (e) {
      failed(e);
      return false;
    }
  };

  const add = async (e: Event) => {
    e.preventDefault();
    const teamId = draft.owner === 'org' ? null : draft.owner ? Number(draft.owner) : undefined;
    const body = { key: draft.key, text: draft.text, ...(teamId === undefined ? {} : { teamId }) };
    if (await after(api.post('/app/api/console/quick-replies', body), t.added))
      setDraft((d) => ({ ...d, key: '', text: '' }));
  };
  const save = async (e: Event) => {
    e.preventDefault();
    if (!editing) return;
    const { id, key, text } = editing;
    if (await after(api.put(`/app/api/console/quick-replies/${id}`, { key, text }), t.saved))
      setEditing(null);
  };
  const remove = (id: number) => void after(api.delete(`/app/api/console/quick-replies/${id}`), t.removed);

  return (
    <section class="quick-replies">
      <h1>{t.heading}</h1>
      <p class="muted">
        {t.placeholders} {t.howToSend}
      </p>
      <p id="status" class="muted" role="status">
        {status}
      </p>
      {items && items.length === 0 ? <p class="muted">{t.none}</p> : null}
      {items && items.length > 0 ? (
        <table id="quick-replies">
          <thead>
            <tr>
              <th>{t.key}</th>
              <th>{t.text}</th>
              <th>{t.owner}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((q) =>
              editing?.id === q.id ? (
                <tr key={q.id} class="quick-reply editing" data-key={q.key}>
                  <td>
                    <input
                      class="edit-key"
                      form="quick-reply-edit"
                      value={editing.key}
                      onInput={(e) =>
                        setEditing({ ...editing, key: (e.currentTarget as HTMLInputElement).value })
                      }
                    />
                  </td>
                  <td>
                    <textarea
                      class="edit-text"
                      form="quick-reply-edit"
                      value={editing.text}
                      onInput={(e) =>
                        setEditing({ ...editing, text: (e.currentTarget as HTMLTextAreaElement).value })
                      }
                    />
                  </td>
                  <td>{q.team?.name ?? t.organisation}</td>
                  <td>
                    <form id="quick-reply-edit" onSubmit={(e) => void save(e)}>
                      <button type="submit" class="save">
                        {t.save}
                      </button>
                      <button type="button" onClick={() => setEditing(null)}>
                        {t.cancel}
                      </button>
                    </form>
                  </td>
                </tr>
              ) : (
                <tr key={q.id} class="quick-reply" data-key={q.key}>
                  <td>
                    <code>:{q.key}</code>
                  </td>
                  <td class="text">
                    <Filled text={q.text} />
                  </td>
                  <td>{q.team?.name ?? t.organisation}</td>
                  <td>
                    {mayChange(q) ? (
                      <>
                        <button
                          type="button"
                          class="edit"
                          onClick={() => setEditing({ id: q.id, key: q.key, text: q.text })}
                        >
                          {t.edit}
                        </button>
                        <button type="button" class="remove" onClick={() => remove(q.id)}>
                          {t.remove}
                        </button>
                      </>
                    ) : (
                      <span class="muted">{t.readOnly}</span>
                    )}
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      ) : null}

      {owners.organisation || owners.teams.length > 0 ? (
        <>
          <h2>{t.add}</h2>
          <form id="quick-reply-form" class="filters" onSubmit={(e) => void add(e)}>
            <label>
              {t.key}
              <input
                id="quick-key"
                required
                maxLength={21}
                value={draft.key}
                onInput={(e) => setDraft({ ...draft, key: (e.currentTarget as HTMLInputElement).value })}
              />
            </label>
            <label class="wide">
              {t.text}
              <textarea
                id="quick-text"
                required
                maxLength={2000}
                value={draft.text}
                onInput={(e) => setDraft({ ...draft, text: (e.currentTarget as HTMLTextAreaElement).value })}
              />
            </label>
            <label>
              {t.owner}
              <select
                id="quick-owner"
                value={draft.owner}
                onChange={(e) => setDraft({ ...draft, owner: (e.currentTarget as HTMLSelectElement).value })}
              >
                {owners.organisation ? <option value="org">{t.organisation}</option> : null}
                {owners.teams.map((x) => (
                  <option key={x.id} value={String(x.id)}>
                    {x.name}
                  </option>
                ))}
              </select>
            </label>
            <button id="quick-add" type="submit">
              {t.addButton}
            </button>
          </form>
        </>
      ) : null}
    </section>
  );
}
