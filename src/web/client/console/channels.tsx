import { useEffect, useState } from 'preact/hooks';
import { type ConsoleApi, type ConsoleLabels, day } from './console-api.ts';
import { QrCode } from './qr-code.tsx';

interface Code {
  id: number;
  code: string;
  name: string;
  kindName: string;
  platform: string;
  active: boolean;
  staff: { id: number; name: string } | null;
  welcome: string | null;
  /** Tags given to the customers who come in through it. */
  tags: string[];
  /** A link to open (a deep link), drawn here as a QR code; null for codes bound to a chat. */
  link: string | null;
  /** A QR code's picture the platform made, on its own https host. */
  picture: string | null;
  chat: string | null;
  customers: { first: number; any: number };
  createdAt: string;
}

interface Options {
  platforms: Array<{ platform: string; by: 'link' | 'chat'; needsMembers: boolean }>;
  kinds: Array<{ key: string; name: string }>;
  staff: Array<{ id: number; name: string; platforms: string[] }>;
}

const EMPTY = {
  name: '',
  platform: '',
  kind: 'campaign',
  staff: '',
  code: '',
  chatId: '',
  welcome: '',
  tags: '',
};
type Field = keyof typeof EMPTY;

/** Channel codes (渠道活码): each with its QR code and the customers it brought; a new one; switching one off. */
export function ChannelCodes({
  api,
  labels,
  lang,
}: {
  api: ConsoleApi;
  labels: ConsoleLabels;
  lang: string;
}) {
  const t = labels.channels;
  const [codes, setCodes] = useState<Code[] | null>(null);
  const [options, setOptions] = useState<Options>({ platforms: [], kinds: [], staff: [] });
  const [form, setForm] = useState(EMPTY);
  const [status, setStatus] = useState(labels.loading);
  const failed = (e: unknown) => setStatus(labels.failed + (e instanceof Error ? e.message : String(e)));

  const load = async () => setCodes((await api.get<{ items: Code[] }>('/app/api/console/channels')).items);
  useEffect(() => {
    api
      .get<Options>('/app/api/console/channels/options')
      .then((o) => {
        setOptions(o);
        setForm((f) => ({ ...f, platform: f.platform || (o.platforms[0]?.platform ?? '') }));
      })
      .catch(failed);
    load()
      .then(() => setStatus(''))
      .catch(failed);
  }, [api]);

  const set = (f: Field) => (e: Event) =>
    setForm((old) => ({ ...old, [f]: (e.currentTarget as HTMLInputElement).value }));
  const way = options.platforms.find((p) => p.platform === form.platform);

  const create = async (e: Event) => {
    e.preventDefault();
    const tags = form.tags
      .split(/[,，、]/)
      .map((x) => x.trim())
      .filter(Boolean);
    try {
      await api.post('/app/api/console/channels', {
        name: form.name,
        platform: form.platform,
        kind: form.kind,
        ...(form.staff ? { staff: [Number(form.staff)] } : {}),
        ...(form.code.trim() ? { code: form.code.trim() } : {}),
        ...(way?.by === 'chat' && form.chatId.trim() ? { chatId: form.chatId.trim() } : {}),
        ...(form.welcome.trim() ? { welcome: form.welcome.trim() } : {}),
        ...(tags.length > 0 ? { tags } : {}),
      });
      setForm({ ...EMPTY, platform: form.platform });
      await load();
      setStatus(t.created);
    } catch (error) {
      failed(error);
    }
  };

  const deactivate = async (id: number) => {
    try {
      await api.delete(`/app/api/console/channels/${id}`);
      await load();
      setStatus(t.deactivated);
    } catch (error) {
      failed(error);
    }
  };

  return (
    <section class="channels">
      <h1>{t.heading}</h1>
      <p id="status" class="muted" role="status">
        {status}
      </p>
      {codes && codes.length === 0 ? <p class="muted">{t.none}</p> : null}
      {codes && codes.length > 0 ? (
        <table id="channels">
          <thead>
            <tr>
              <th>{t.name}</th>
              <th>{t.platform}</th>
              <th>{t.assignee}</th>
              <th>{t.welcome}</th>
              <th>{t.tags}</th>
              <th>{t.customers}</th>
              <th>{t.qr}</th>
              <th>{t.state}</th>
            </tr>
          </thead>
          <tbody>
            {codes.map((c) => (
              <tr key={c.id} class={c.active ? 'channel' : 'channel inactive'} data-code={c.code}>
                <td>
                  <strong>{c.name}</strong>
                  <br />
                  <code>{c.code}</code> <span class="muted">{c.kindName}</span>
                  <br />
                  <span class="muted">{day(c.createdAt, lang)}</span>
                </td>
                <td>{c.platform}</td>
                <td>{c.staff ? c.staff.name : <span class="muted">{t.noAssignee}</span>}</td>
                <td class="welcome">{c.welcome ?? <span class="muted">{t.defaultWelcome}</span>}</td>
                <td class="tags">
                  {c.tags.length > 0 ? (
                    c.tags.map((x) => (
                      <span key={x} class="tag">
                        {x}
                      </span>
                    ))
                  ) : (
                    <span class="muted">{t.noTags}</span>
                  )}
                </td>
                <td>
                  <span class="count-first">{c.customers.first}</span> {t.firstSource}
                  <br />
                  <span class="count-any">{c.customers.any}</span> {t.anySource}
                </td>
                <td>
                  <QrCell code={c} t={t} />
                </td>
                <td>
                  {c.active ? t.active : <span class="muted">{t.inactive}</span>}
                  {c.active ? (
                    <button type="button" class="deactivate" onClick={() => void deactivate(c.id)}>
                      {t.deactivate}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <h2>{t.create}</h2>
      <form id="channel-form" class="filters" onSubmit={(e) => void create(e)}>
        <label>
          {t.name}
          <input id="channel-name" required maxLength={100} value={form.name} onInput={set('name')} />
        </label>
        <label>
          {t.platform}
          <select id="channel-platform" value={form.platform} onChange={set('platform')}>
            {options.platforms.map((p) => (
              <option key={p.platform} value={p.platform}>
                {p.platform}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.kind}
          <select id="channel-kind" value={form.kind} onChange={set('kind')}>
            {options.kinds.map((k) => (
              <option key={k.key} value={k.key}>
                {k.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.assignee}
          <select id="channel-staff" value={form.staff} onChange={set('staff')}>
            <option value="">{t.noAssignee}</option>
            {options.staff.map((s) => (
              <option key={s.id} value={String(s.id)}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.code}
          <input
            id="channel-code"
            placeholder={t.codeHint}
            pattern="[A-Za-z0-9_\-]{1,64}"
            value={form.code}
            onInput={set('code')}
          />
        </label>
        {way?.by === 'chat' ? (
          <label>
            {t.chatId}
            <input id="channel-chat" required value={form.chatId} onInput={set('chatId')} />
          </label>
        ) : null}
        <label>
          {t.tags}
          <input id="channel-tags" placeholder={t.tagsHint} value={form.tags} onInput={set('tags')} />
        </label>
        <label class="wide">
          {t.welcome}
          <textarea
            id="channel-welcome"
            placeholder={t.welcomeHint}
            maxLength={1000}
            value={form.welcome}
            onInput={set('welcome')}
          />
        </label>
        <button id="channel-create" type="submit">
          {t.createButton}
        </button>
        {way?.needsMembers ? <p class="muted">{t.needsAccount}</p> : null}
      </form>
    </section>
  );
}

/** A code's QR code: the platform's own picture, one drawn here from its link, or the chat it is bound to. */
function QrCell({ code, t }: { code: Code; t: ConsoleLabels['channels'] }) {
  if (code.picture)
    return (
      <figure class="qr">
        <img class="qr-picture" src={code.picture} alt={t.platformPicture} referrerpolicy="no-referrer" />
        <figcaption>
          <a href={code.picture} target="_blank" rel="noopener noreferrer">
            {t.openLink}
          </a>
        </figcaption>
      </figure>
    );
  if (code.link)
    return (
      <>
        <QrCode text={code.link} file={code.code} labels={t} />
        {/^https:\/\//i.test(code.link) ? (
          <a class="qr-link" href={code.link} target="_blank" rel="noopener noreferrer">
            {code.link}
          </a>
        ) : (
          <code class="qr-link">{code.link}</code>
        )}
      </>
    );
  return (
    <p class="muted">
      {code.chat ? `${t.boundChat}${code.chat}` : null}
      <br />
      {t.noLink}
    </p>
  );
}
