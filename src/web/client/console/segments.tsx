import { useEffect, useState } from 'preact/hooks';
import type { ConsoleApi, ConsoleLabels } from './console-api.ts';
import { type FilterChoices, type FilterField, FilterFields } from './filter-fields.tsx';
import { writeThenReload } from './keyset-pages.ts';
import type { ScreenProps } from './screens.tsx';

interface Saved {
  id: number;
  name: string;
  /** The name as the member reads it (a built-in's in their language). */
  title: string;
  builtin: boolean;
  count: number | null;
  changeable: boolean;
}

type Words = ConsoleLabels['segments'];
/** The list's filters a saved segment keeps (text search and another segment are the list's own). */
const SEGMENT_FIELDS: readonly FilterField[] = ['stage', 'owner', 'tag', 'source'];
const failure = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The customer list's filters as a segment filter (the same conditions, every one of them must hold). */
function filterOf(form: { stage: string; owner: string; tag: string; source: string }) {
  const f: Record<string, unknown> = {};
  if (form.stage) f.stages = [form.stage];
  if (form.owner === 'none') f.unowned = true;
  else if (form.owner) f.owners = [Number(form.owner)];
  if (form.tag.trim()) f.tags = { all: [form.tag.trim()] };
  if (form.source.trim()) f.sources = [form.source.trim()];
  return f;
}

/** Saved segments with their live counts; a new one from the customer list's filters; rename, delete, open. */
export function Segments({ api, labels }: ScreenProps) {
  const w = labels.segments;
  const [items, setItems] = useState<Saved[] | null>(null);
  const [filters, setFilters] = useState<FilterChoices>({ stages: [], owners: [], segments: [] });
  const [status, setStatus] = useState(labels.loading);

  const load = async () => setItems((await api.get<{ items: Saved[] }>('/app/api/console/segments')).items);
  useEffect(() => {
    api
      .get<FilterChoices>('/app/api/console/filters')
      .then(setFilters)
      .catch(() => undefined);
    load()
      .then(() => setStatus(''))
      .catch((e: unknown) => setStatus(labels.failed + failure(e)));
  }, [api]);

  const act = writeThenReload(load, setStatus, labels);

  return (
    <section class="segments-screen">
      <NewSegment api={api} labels={labels} filters={filters} act={act} />
      <p id="status" class="muted" role="status">
        {status}
      </p>
      <table id="segments">
        <thead>
          <tr>
            <th>{w.name}</th>
            <th>{w.count}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(items ?? []).map((s) => (
            <SegmentRow key={`${s.id}:${s.name}`} api={api} w={w} s={s} act={act} />
          ))}
        </tbody>
      </table>
      {items?.length === 0 ? <p class="muted">{w.noSegments}</p> : null}
    </section>
  );
}

function NewSegment({
  api,
  labels,
  filters,
  act,
}: {
  api: ConsoleApi;
  labels: ConsoleLabels;
  filters: FilterChoices;
  act: (write: () => Promise<string>) => Promise<void>;
}) {
  const w = labels.segments;
  const empty = { name: '', stage: '', owner: '', tag: '', source: '' };
  const [form, setForm] = useState(empty);
  const set = (k: keyof typeof empty) => (e: Event) =>
    setForm((old) => ({ ...old, [k]: (e.currentTarget as HTMLInputElement).value }));
  return (
    <form
      class="filters new-segment"
      onSubmit={(e) => {
        e.preventDefault();
        void act(async () => {
          await api.post('/app/api/console/segments', { name: form.name, filter: filterOf(form) });
          setForm(empty);
          return w.created;
        });
      }}
    >
      <label>
        {w.newName}
        <input id="segment-name" value={form.name} onInput={set('name')} />
      </label>
      <FilterFields
        labels={labels}
        choices={filters}
        fields={SEGMENT_FIELDS}
        form={form}
        set={(f) => set(f as keyof typeof empty)}
        idPrefix="segment"
      />
      <button id="segment-create" type="submit">
        {w.create}
      </button>
      <p class="muted hint">{w.hint}</p>
    </form>
  );
}

function SegmentRow({
  api,
  w,
  s,
  act,
}: {
  api: ConsoleApi;
  w: Words;
  s: Saved;
  act: (write: () => Promise<string>) => Promise<void>;
}) {
  const [name, setName] = useState(s.name);
  return (
    <tr class="segment" data-id={s.id}>
      <td>
        <span class="segment-name">{s.title}</span>
        {s.builtin ? <span class="muted"> · {w.builtin}</span> : null}
      </td>
      <td class="count">{s.count === null ? w.invalid : s.count}</td>
      <td class="segment-actions">
        <a class="open" href={`/app/console?segment=${s.id}`}>
          {w.open}
        </a>
        {s.changeable ? (
          <>
            <input class="rename-input" value={name} onInput={(e) => setName(e.currentTarget.value)} />
            <button
              class="rename"
              type="button"
              onClick={() =>
                void act(async () => {
                  await api.patch(`/app/api/console/segments/${s.id}`, { name });
                  return w.renamed;
                })
              }
            >
              {w.rename}
            </button>
            <button
              class="delete"
              type="button"
              onClick={() => {
                if (!confirm(w.confirmDelete)) return;
                void act(async () => {
                  await api.delete(`/app/api/console/segments/${s.id}`);
                  return w.deleted;
                });
              }}
            >
              {w.delete}
            </button>
          </>
        ) : null}
      </td>
    </tr>
  );
}
