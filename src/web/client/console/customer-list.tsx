import { useEffect, useState } from 'preact/hooks';
import { type ConsoleApi, type ConsoleLabels, day } from './console-api.ts';

interface Row {
  id: number;
  name: string;
  company: string | null;
  phone: string | null;
  stageName: string;
  owner: { id: number; name: string } | null;
  tags: string[];
  lastContactAt: string | null;
}

interface Filters {
  stages: Array<{ key: string; name: string }>;
  segments: Array<{ id: number; name: string }>;
  owners: Array<{ id: number; name: string }>;
}

const FIELDS = ['q', 'stage', 'owner', 'tag', 'source', 'segment'] as const;
type Field = (typeof FIELDS)[number];

/** The customer list: filters and a saved segment, pages from the server, each row opening the panel. */
export function CustomerList({
  api,
  labels,
  lang,
}: {
  api: ConsoleApi;
  labels: ConsoleLabels;
  lang: string;
}) {
  const [filters, setFilters] = useState<Filters>({ stages: [], segments: [], owners: [] });
  const [form, setForm] = useState<Record<Field, string>>({
    q: '',
    stage: '',
    owner: '',
    tag: '',
    source: '',
    // The segments screen opens a segment's members here: /app/console?segment=<id>.
    segment: segmentFromAddress(),
  });
  const [rows, setRows] = useState<Row[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [status, setStatus] = useState(labels.loading);

  const load = async (after: string | null) => {
    const params = new URLSearchParams();
    for (const f of FIELDS) if (form[f].trim()) params.set(f, form[f].trim());
    if (after) params.set('after', after);
    setStatus(labels.loading);
    try {
      const page = await api.get<{ items: Row[]; nextCursor: string | null }>(
        `/app/api/console/customers?${params}`,
      );
      setRows((shown) => (after ? [...shown, ...page.items] : page.items));
      setNext(page.nextCursor);
      setStatus('');
    } catch (e) {
      setStatus(labels.failed + (e instanceof Error ? e.message : String(e)));
    }
  };

  useEffect(() => {
    api
      .get<Filters>('/app/api/console/filters')
      .then(setFilters)
      .catch(() => undefined);
    void load(null);
  }, [api]);

  const set = (f: Field) => (e: Event) =>
    setForm((old) => ({ ...old, [f]: (e.currentTarget as HTMLInputElement).value }));

  return (
    <section>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void load(null);
        }}
      >
        <input id="filter-q" type="search" placeholder={labels.search} value={form.q} onInput={set('q')} />
        <label>
          {labels.stage}
          <select id="filter-stage" value={form.stage} onChange={set('stage')}>
            <option value="">{labels.any}</option>
            {filters.stages.map((s) => (
              <option key={s.key} value={s.key}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {labels.owner}
          <select id="filter-owner" value={form.owner} onChange={set('owner')}>
            <option value="">{labels.any}</option>
            <option value="none">{labels.unowned}</option>
            {filters.owners.map((o) => (
              <option key={o.id} value={String(o.id)}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {labels.tag}
          <input id="filter-tag" value={form.tag} onInput={set('tag')} />
        </label>
        <label>
          {labels.source}
          <input id="filter-source" value={form.source} onInput={set('source')} />
        </label>
        <label>
          {labels.segment}
          <select id="filter-segment" value={form.segment} onChange={set('segment')}>
            <option value="">{labels.any}</option>
            {filters.segments.map((s) => (
              <option key={s.id} value={`#${s.id}`}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <button id="filter-apply" type="submit">
          {labels.apply}
        </button>
      </form>
      <p id="status" class="muted" role="status">
        {status}
      </p>
      <table id="customers">
        <thead>
          <tr>
            <th>{labels.name}</th>
            <th>{labels.stage}</th>
            <th>{labels.owner}</th>
            <th>{labels.phone}</th>
            <th>{labels.tags}</th>
            <th>{labels.lastContact}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} class="customer" data-id={r.id}>
              <td>
                <a href={`/app?customer=${r.id}`}>{r.name}</a>
                {r.company ? <span class="muted"> · {r.company}</span> : null}
              </td>
              <td class="stage">{r.stageName}</td>
              <td>{r.owner?.name ?? labels.unowned}</td>
              <td>{r.phone ?? ''}</td>
              <td>{r.tags.join(', ')}</td>
              <td>{r.lastContactAt ? day(r.lastContactAt, lang) : labels.never}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && !status ? <p class="muted">{labels.noCustomers}</p> : null}
      {next ? (
        <button id="more" type="button" onClick={() => void load(next)}>
          {labels.more}
        </button>
      ) : null}
    </section>
  );
}

/** The saved segment the address names (`?segment=12`), as the segment list's value (`#12`); '' for none. */
function segmentFromAddress(): string {
  const id = new URLSearchParams(location.search).get('segment') ?? '';
  return /^\d{1,15}$/.test(id) ? `#${id}` : '';
}
