import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleApi, ConsoleLabels } from './console-api.ts';

/** What the preview route answers (src/web/console/campaign-routes.ts). */
export interface Preview {
  campaign: number;
  segmentFound: boolean;
  segmentSize: number;
  holdout: number;
  skipped: Record<string, number>;
  reachable: { total: number; byPlatform: Record<string, number> };
  platforms: Array<{ platform: string; customers: number; maxPerTask: number | null }>;
  cap: { limit: number; days: number };
  samples: Array<{ customerId: number; name: string; phone: string | null; platform: string; text: string }>;
}

const SKIPS = [
  ['do_not_contact', 'skipDoNotContact'],
  ['frequency_cap', 'skipFrequencyCap'],
  ['no_channel', 'skipNoChannel'],
  ['outside_window', 'skipOutsideWindow'],
] as const;

const problem = (labels: ConsoleLabels, e: unknown) =>
  labels.failed + (e instanceof Error ? e.message : String(e));

/** Setting up a campaign: it is saved waiting for approval, and the created campaign's id handed on for its preview. */
export function CampaignForm({
  api,
  labels,
  onCreated,
}: {
  api: ConsoleApi;
  labels: ConsoleLabels;
  onCreated: (id: number) => void;
}) {
  const t = labels.campaigns;
  const [segments, setSegments] = useState<Array<{ id: number; name: string }>>([]);
  const [form, setForm] = useState({
    name: '',
    segment: '',
    text: '',
    linkTitle: '',
    linkUrl: '',
    sendAt: '',
    holdout: '0',
  });
  const [status, setStatus] = useState('');
  // One key per form filled in: a double submit is one campaign.
  const [key, setKey] = useState(() => crypto.randomUUID());

  useEffect(() => {
    api
      .get<{ segments: Array<{ id: number; name: string }> }>('/app/api/console/filters')
      .then((f) => {
        setSegments(f.segments);
        setForm((v) => (v.segment ? v : { ...v, segment: String(f.segments[0]?.id ?? '') }));
      })
      .catch((e: unknown) => setStatus(problem(labels, e)));
  }, [api]);

  const field = (name: keyof typeof form) => ({
    name,
    value: form[name],
    onInput: (e: Event) => setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement).value }),
  });

  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const created = await api.post<{ id: number }>('/app/api/console/campaigns', {
        name: form.name,
        segment: Number(form.segment),
        text: form.text,
        ...(form.linkUrl.trim()
          ? { link: { title: form.linkTitle.trim() || form.linkUrl.trim(), url: form.linkUrl.trim() } }
          : {}),
        holdoutPct: Number(form.holdout) || 0,
        ...(form.sendAt ? { sendAt: new Date(form.sendAt).toISOString() } : {}),
        key,
      });
      setStatus(t.created);
      setForm((v) => ({ ...v, name: '', text: '', linkTitle: '', linkUrl: '', sendAt: '' }));
      setKey(crypto.randomUUID());
      onCreated(created.id);
    } catch (err) {
      setStatus(problem(labels, err));
    }
  };

  return (
    <form id="campaign-form" class="campaign-form" onSubmit={submit}>
      <label>
        {t.name}
        <input {...field('name')} required maxLength={100} />
      </label>
      <label>
        {t.segment}
        <select {...field('segment')} onChange={field('segment').onInput} required>
          {segments.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label class="wide">
        {t.text}
        <textarea {...field('text')} required rows={4} />
        <span class="muted">{t.textHint}</span>
      </label>
      <label>
        {t.linkTitle}
        <input {...field('linkTitle')} maxLength={128} />
      </label>
      <label>
        {t.linkUrl}
        <input {...field('linkUrl')} type="url" />
      </label>
      <label>
        {t.sendAt}
        <input {...field('sendAt')} type="datetime-local" />
      </label>
      <label>
        {t.holdout}
        <input {...field('holdout')} type="number" min={0} max={50} />
      </label>
      <button type="submit">{t.create}</button>
      <p class="muted" role="status" id="campaign-form-status">
        {status}
      </p>
    </form>
  );
}

/** What sending would do: counts after exclusions, per platform with its limits, and sample recipients. */
export function PreviewView({ preview, labels }: { preview: Preview; labels: ConsoleLabels }) {
  const t = labels.campaigns;
  return (
    <section id="campaign-preview" class="campaign-preview" data-campaign={preview.campaign}>
      <h2>{t.previewTitle}</h2>
      {preview.segmentFound ? null : <p class="problem">{t.segmentGone}</p>}
      <dl class="figures">
        <dt>{t.segmentSize}</dt>
        <dd id="preview-segment">{preview.segmentSize}</dd>
        <dt>{t.holdoutCount}</dt>
        <dd>{preview.holdout}</dd>
        <dt>{t.reachable}</dt>
        <dd id="preview-reachable">{preview.reachable.total}</dd>
        {SKIPS.map(([reason, label]) => (
          <Fragment key={reason}>
            <dt>
              {t.skipped} · {t[label]}
            </dt>
            <dd data-skip={reason}>{preview.skipped[reason] ?? 0}</dd>
          </Fragment>
        ))}
      </dl>
      <table class="platforms">
        <thead>
          <tr>
            <th>{t.platform}</th>
            <th>{t.reachable}</th>
            <th>{t.perTask}</th>
          </tr>
        </thead>
        <tbody>
          {preview.platforms.map((p) => (
            <tr key={p.platform} data-platform={p.platform}>
              <td>{p.platform}</td>
              <td>{p.customers}</td>
              <td>{p.maxPerTask ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">
        {t.cap}: {preview.cap.limit} / {preview.cap.days} {t.capDays}
      </p>
      <h3>{t.samples}</h3>
      {preview.samples.length === 0 ? <p class="muted">{t.noSamples}</p> : null}
      <ul class="samples">
        {preview.samples.map((s) => (
          <li key={s.customerId} class="sample" data-customer={s.customerId}>
            <strong>{s.name}</strong> <span class="muted">{s.phone ?? ''}</span>{' '}
            <span class="muted">{s.platform}</span>
            <div class="bubble" title={t.rendered}>
              {s.text}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
