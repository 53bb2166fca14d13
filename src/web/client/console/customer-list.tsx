import { useEffect, useState } from 'preact/hooks';
import { type ConsoleApi, type ConsoleLabels, day } from './console-api.ts';
import { type FilterChoices, type FilterField, FilterFields } from './filter-fields.tsx';
import { useKeysetPages } from './keyset-pages.ts';

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

const FIELDS: readonly FilterField[] = ['q', 'stage', 'owner', 'tag', 'source', 'segment'];
type Field = FilterField;

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
  const [filters, setFilters] = useState<FilterChoices>({ stages: [], segments: [], owners: [] });
  const [form, setForm] = useState<Record<Field, string>>({
    q: '',
    stage: '',
    owner: '',
    tag: '',
    source: '',
    // The segments screen opens a segment's members here: /app/console?segment=<id>.
    segment: segmentFromAddress(),
  });
  const { rows, next, status, load } = useKeysetPages<Row, Field>(
    api,
    labels,
    '/app/api/console/customers',
    form,
  );

  useEffect(() => {
    api
      .get<FilterChoices>('/app/api/console/filters')
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
        <FilterFields
          labels={labels}
          choices={filters}
          fields={FIELDS}
          form={form}
          set={set}
          idPrefix="filter"
        />
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
