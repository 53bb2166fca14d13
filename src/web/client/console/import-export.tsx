import { useEffect, useState } from 'preact/hooks';
import { ConsoleRefused, day } from './console-api.ts';
import { type FilterChoices, type FilterField, FilterFields } from './filter-fields.tsx';
import type { ScreenProps } from './screens.tsx';

interface Problem {
  row: number;
  column: string;
  value: string;
  reason: string;
}

interface Job {
  id: number;
  fileName: string;
  status: 'previewed' | 'running' | 'done' | 'failed' | 'cancelled';
  total: number;
  done: number;
  preview: {
    rows: number;
    created: number;
    matched: number;
    updated: number;
    duplicates: number;
    invalid: number;
    problems: Problem[];
    unknownColumns: string[];
    conflicts: number;
    importedBefore: { jobId: number; at: number } | null;
  };
  summary: { created: number; merged: number; skipped: number };
  error: string | null;
}

const BASE = '/app/api/console/import';
const FIELDS: readonly FilterField[] = ['q', 'stage', 'owner', 'tag', 'source', 'segment'];
type Field = FilterField;
const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (all, k: string) => (k in values ? String(values[k]) : all));

/**
 * Import and export: a CSV or XLSX file uploaded and previewed (nothing written), then imported a step at a time
 * while the page shows the rows done; and the customers of the list's filters downloaded as CSV or XLSX.
 */
export function ImportExport({ api, labels, lang }: ScreenProps) {
  const t = labels.import;
  const [job, setJob] = useState<Job | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [status, setStatus] = useState('');
  const [filters, setFilters] = useState<FilterChoices>({ stages: [], segments: [], owners: [] });
  const [form, setForm] = useState<Record<Field, string>>(() => {
    // The list's filters, when a link brings them (/app/console/import?stage=…).
    const given = new URLSearchParams(location.search);
    return Object.fromEntries(FIELDS.map((f) => [f, given.get(f) ?? ''])) as Record<Field, string>;
  });

  useEffect(() => {
    api
      .get<FilterChoices>('/app/api/console/filters')
      .then(setFilters)
      .catch(() => undefined);
    // A job still running (the page was left mid-way) carries on.
    api
      .get<{ items: Job[] }>(`${BASE}/jobs`)
      .then(({ items }) => {
        const open = items.find((j) => j.status === 'running');
        if (open) setJob(open);
      })
      .catch(() => undefined);
  }, [api]);

  // A running job is advanced step by step for as long as the page is open; each answer is the progress.
  useEffect(() => {
    if (job?.status !== 'running') return;
    let stopped = false;
    const timer = setTimeout(() => {
      api
        .post<Job>(`${BASE}/jobs/${job.id}/step`, {})
        .then((next) => {
          if (!stopped) setJob(next);
        })
        .catch((e: unknown) => setStatus(t.failed + (e instanceof Error ? e.message : String(e))));
    }, 50);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [job]);

  const upload = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setStatus(t.uploading);
    try {
      setJob(await uploadFile(file));
      setStatus('');
    } catch (error) {
      setStatus(error instanceof Error ? error.message : String(error));
    }
  };

  const run = async () => {
    if (!job) return;
    try {
      setJob(await api.post<Job>(`${BASE}/jobs/${job.id}/run`, {}));
    } catch (e) {
      setStatus(t.failed + (e instanceof Error ? e.message : String(e)));
    }
  };

  const exportHref = (format: 'csv' | 'xlsx') => {
    const params = new URLSearchParams({ format });
    for (const f of FIELDS) if (form[f].trim()) params.set(f, form[f].trim());
    return `${BASE}/export?${params}`;
  };
  const set = (f: Field) => (e: Event) =>
    setForm((old) => ({ ...old, [f]: (e.currentTarget as HTMLInputElement).value }));

  return (
    <section class="import-export">
      <h2>{t.importTitle}</h2>
      <p class="hint">{t.importHint}</p>
      {!job && (
        <form id="import-upload" class="filters" onSubmit={upload}>
          <label>
            {t.chooseFile}{' '}
            <input
              id="import-file"
              type="file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
            />
          </label>
          <button type="submit" disabled={!file}>
            {t.upload}
          </button>
        </form>
      )}
      {job && <JobView job={job} labels={labels} lang={lang} onRun={run} onDone={() => setJob(null)} />}
      <p id="import-status" role="status">
        {status}
      </p>

      <h2>{t.exportTitle}</h2>
      <p class="hint">{t.exportHint}</p>
      <div class="filters">
        <FilterFields
          labels={labels}
          choices={filters}
          fields={FIELDS}
          form={form}
          set={set}
          idPrefix="export"
        />
        <a id="export-csv" class="button" href={exportHref('csv')} download>
          {t.exportCsv}
        </a>
        <a id="export-xlsx" class="button" href={exportHref('xlsx')} download>
          {t.exportXlsx}
        </a>
      </div>
    </section>
  );

  /** Posts the file's bytes as they are (not JSON), with the session's CSRF token, as the console's writes do. */
  async function uploadFile(f: File): Promise<Job> {
    const me = await fetch('/app/me', { credentials: 'same-origin' });
    const { csrfToken } = (await me.json()) as { csrfToken: string };
    const res = await fetch(`${BASE}/uploads?name=${encodeURIComponent(f.name)}`, {
      method: 'POST',
      credentials: 'same-origin',
      referrerPolicy: 'same-origin',
      headers: {
        'x-csrf-token': csrfToken,
        'content-type': 'application/octet-stream',
        'idempotency-key': crypto.randomUUID(),
      },
      body: f,
    });
    const body = (await res.json().catch(() => ({}))) as Job & { error?: string };
    if (res.status >= 400) throw new ConsoleRefused(res.status, body.error ?? String(res.status));
    return body;
  }
}

function JobView({
  job,
  labels,
  lang,
  onRun,
  onDone,
}: {
  job: Job;
  labels: ScreenProps['labels'];
  lang: string;
  onRun: () => void;
  onDone: () => void;
}) {
  const t = labels.import;
  const p = job.preview;
  if (job.status === 'running' || job.status === 'done' || job.status === 'failed')
    return (
      <div id="import-progress" class="import-progress">
        <progress max={job.total} value={job.done} />
        <p id="import-count">{fill(t.running, { done: job.done, total: job.total })}</p>
        {job.status === 'done' && (
          <div id="import-result">
            <h3>{t.doneTitle}</h3>
            <ul>
              <li>{fill(t.resultCreated, { n: job.summary.created })}</li>
              <li>{fill(t.resultMerged, { n: job.summary.merged })}</li>
              <li>{fill(t.resultSkipped, { n: job.summary.skipped })}</li>
            </ul>
            <button type="button" onClick={onDone}>
              {t.again}
            </button>
          </div>
        )}
        {job.status === 'failed' && (
          <p class="error">
            {t.failed}
            {job.error}
          </p>
        )}
      </div>
    );
  const figures: Array<[string, string, number]> = [
    ['rows', t.rows, p.rows],
    ['created', t.created, p.created],
    ['matched', t.matched, p.matched],
    ['updated', t.updated, p.updated],
    ['duplicates', t.duplicates, p.duplicates],
    ['invalid', t.invalid, p.invalid],
    ['conflicts', t.conflicts, p.conflicts],
  ];
  return (
    <div id="import-preview" class="import-preview">
      <h3>
        {t.previewTitle} · {job.fileName}
      </h3>
      {p.importedBefore && (
        <p class="warning">
          {fill(t.importedBefore, { at: day(new Date(p.importedBefore.at).toISOString(), lang) })}
        </p>
      )}
      <dl class="figures">
        {figures.map(([key, label, n]) => (
          <>
            <dt>{label}</dt>
            <dd data-figure={key}>{n}</dd>
          </>
        ))}
      </dl>
      {p.unknownColumns.length > 0 && (
        <p class="hint">
          {t.unknownColumns}
          {p.unknownColumns.join(', ')}
        </p>
      )}
      {p.problems.length > 0 && (
        <table class="problems">
          <thead>
            <tr>
              <th>{t.problemRow}</th>
              <th>{t.problemColumn}</th>
              <th>{t.problemValue}</th>
              <th>{t.problemReason}</th>
            </tr>
          </thead>
          <tbody>
            {p.problems.map((problem) => (
              <tr key={`${problem.row}:${problem.column}`} data-row={problem.row}>
                <td>{problem.row}</td>
                <td>{problem.column}</td>
                <td>{problem.value}</td>
                <td>{problem.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.invalid > p.problems.length && (
        <p class="hint">{fill(t.moreProblems, { n: p.invalid - p.problems.length })}</p>
      )}
      <div class="actions">
        <button id="import-run" type="button" onClick={onRun}>
          {t.run}
        </button>
        <button type="button" onClick={onDone}>
          {t.cancel}
        </button>
      </div>
    </div>
  );
}
