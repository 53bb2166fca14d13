import { useEffect, useState } from 'preact/hooks';
import { CampaignForm, type Preview, PreviewView } from './campaign-form.tsx';
import type { ConsoleLabels } from './console-api.ts';
import type { ScreenProps } from './screens.tsx';

interface Row {
  id: number;
  name: string;
  status: string;
  segment: string | null;
  author: string | null;
  recipients: { total: number; reached: number; delivered: number };
  approval: {
    status: 'pending' | 'approved' | 'rejected';
    reason: string | null;
    sendAt: string | null;
  } | null;
  mayDecide: boolean;
}

const problem = (labels: ConsoleLabels, e: unknown) =>
  labels.failed + (e instanceof Error ? e.message : String(e));

/** A status word from the screen's catalogue (the campaign states and the approval states are its keys). */
const word = (labels: ConsoleLabels, key: string): string =>
  (labels.campaigns as unknown as Record<string, string>)[key] ?? key;

/**
 * Campaigns: the list in the actor's reach with status, approval and progress; setting one up (it waits for a
 * director's or admin's approval); its preview before anything is sent; approving or rejecting with a reason.
 */
export function Campaigns({ api, labels }: ScreenProps) {
  const t = labels.campaigns;
  const [rows, setRows] = useState<Row[] | null>(null);
  const [status, setStatus] = useState(labels.loading);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [reasons, setReasons] = useState<Record<number, string>>({});

  const load = async () => {
    const list = await api.get<{ items: Row[] }>('/app/api/console/campaigns');
    setRows(list.items);
  };
  useEffect(() => {
    load()
      .then(() => setStatus(''))
      .catch((e: unknown) => setStatus(problem(labels, e)));
  }, [api]);

  const showPreview = async (id: number) => {
    try {
      setPreview(await api.get<Preview>(`/app/api/console/campaigns/${id}/preview`));
    } catch (e) {
      setStatus(problem(labels, e));
    }
  };

  const decide = async (id: number, verb: 'approve' | 'reject') => {
    try {
      const body = verb === 'reject' ? { reason: reasons[id] ?? '' } : {};
      await api.post(`/app/api/console/campaigns/${id}/${verb}`, { ...body, key: crypto.randomUUID() });
      await load();
      setStatus(verb === 'approve' ? t.approved : t.rejected);
    } catch (e) {
      setStatus(problem(labels, e));
    }
  };

  return (
    <section class="campaigns">
      <h1>{t.title}</h1>
      <p id="status" class="muted" role="status">
        {status}
      </p>
      {rows && rows.length === 0 ? <p class="muted">{t.none}</p> : null}
      {rows && rows.length > 0 ? (
        <table id="campaign-list">
          <thead>
            <tr>
              <th>{t.name}</th>
              <th>{t.segment}</th>
              <th>{t.status}</th>
              <th>{t.approval}</th>
              <th>{t.progress}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-id={r.id}>
                <td>
                  {r.name}
                  {r.author ? (
                    <span class="muted">
                      {' '}
                      · {t.author} {r.author}
                    </span>
                  ) : null}
                </td>
                <td>{r.segment ?? ''}</td>
                <td class="campaign-status">{word(labels, r.status)}</td>
                <td class="approval">
                  {r.approval
                    ? word(labels, r.approval.status === 'pending' ? 'pending' : `${r.approval.status}State`)
                    : t.direct}
                  {r.approval?.reason ? (
                    <div class="problem reason">
                      {t.reasonShown}
                      {r.approval.reason}
                    </div>
                  ) : null}
                </td>
                <td>
                  {r.recipients.reached} / {r.recipients.total} {t.reached}
                </td>
                <td class="actions">
                  <button type="button" class="preview" onClick={() => void showPreview(r.id)}>
                    {t.preview}
                  </button>
                  {r.mayDecide ? (
                    <>
                      <button type="button" class="approve" onClick={() => void decide(r.id, 'approve')}>
                        {t.approve}
                      </button>
                      <input
                        class="reason-input"
                        aria-label={t.reason}
                        placeholder={t.reason}
                        value={reasons[r.id] ?? ''}
                        onInput={(e) =>
                          setReasons({ ...reasons, [r.id]: (e.currentTarget as HTMLInputElement).value })
                        }
                      />
                      <button type="button" class="reject" onClick={() => void decide(r.id, 'reject')}>
                        {t.reject}
                      </button>
                    </>
                  ) : r.approval?.status === 'pending' ? (
                    <span class="muted">{t.ownNote}</span>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <CampaignForm
        api={api}
        labels={labels}
        onCreated={(id) => {
          void load().then(() => showPreview(id));
        }}
      />
      {preview ? <PreviewView preview={preview} labels={labels} /> : null}
    </section>
  );
}
