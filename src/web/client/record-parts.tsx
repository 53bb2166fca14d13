import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Api } from './api.ts';
import type { CustomerRecord, Duplicate, Labels } from './types.ts';

type Message = CustomerRecord['timeline'][number];

/** A message's file: a download while it is kept, otherwise why not (fetching, or not kept). */
export function MessageFile(p: { labels: Labels; message: Message }) {
  const { file, id } = p.message;
  if (file === null) return null;
  if (file === 'stored')
    return (
      <a class="file" href={`/app/api/messages/${id}/file`} download>
        📎 {p.labels.download}
      </a>
    );
  return <span class="file muted">{file === 'pending' ? p.labels.filePending : p.labels.fileNotKept}</span>;
}

/**
 * The open customer's likely duplicates, each with a preview of merging it into this customer (as `/merge` words it)
 * and the merge once confirmed; `merged` reloads the record, which now holds both.
 */
export function Duplicates(p: { api: Api; labels: Labels; customerId: number; merged: () => Promise<void> }) {
  const { api, labels, customerId } = p;
  const [rows, setRows] = useState<Duplicate[] | null>(null);
  const [preview, setPreview] = useState<{ other: number; text: string } | null>(null);
  const [problem, setProblem] = useState('');

  const load = useCallback(async () => {
    const res = await api.get<{ duplicates?: Duplicate[] }>(`/app/api/customers/${customerId}/duplicates`);
    setRows(res.body.duplicates ?? []);
  }, [api, customerId]);
  useEffect(() => {
    void load();
  }, [load]);

  const ask = async (other: number, confirm: boolean) => {
    setProblem('');
    const res = await api.post<{ preview?: string; error?: string }>(
      `/app/api/customers/${customerId}/merge`,
      {
        other,
        confirm,
      },
    );
    if (res.status >= 400) {
      setProblem(labels.failed + (res.status === 409 ? labels.mergeBusy : (res.body.error ?? res.status)));
      return;
    }
    if (!confirm) {
      setPreview({ other, text: res.body.preview ?? '' });
      return;
    }
    setPreview(null);
    await p.merged();
    await load();
  };

  if (rows === null || rows.length === 0) return null;
  return (
    <section id="duplicates">
      <h2>{labels.duplicates}</h2>
      {problem && <p class="problem">{problem}</p>}
      <ul class="list">
        {rows.map((d) => (
          <li key={d.customerId} class="duplicate" data-customer={d.customerId}>
            <a href={`/app?customer=${d.customerId}`}>
              #{d.customerId} {d.name}
              {d.company ? ` · ${d.company}` : ''}
            </a>
            <span class="muted">
              {labels.evidence}: {d.evidence} · {d.score}
            </span>
            {preview?.other === d.customerId ? (
              <div class="merge-preview">
                <p class="pre">{preview.text}</p>
                <button type="button" class="merge-confirm" onClick={() => ask(d.customerId, true)}>
                  {labels.confirmMerge}
                </button>
                <button type="button" onClick={() => setPreview(null)}>
                  {labels.cancel}
                </button>
              </div>
            ) : (
              <button type="button" class="merge-preview-button" onClick={() => ask(d.customerId, false)}>
                {labels.previewMerge}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
