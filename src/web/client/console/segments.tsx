import { useEffect, useState } from 'preact/hooks';
import type { ConsoleApi, ConsoleLabels } from './console-api.ts';
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

interface Filters {
  stages: Array<{ key: string; name: string }>;
  owners: Array<{ id: number; name: string }>;
}

type Words = ConsoleLabels['segments'];
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
  const [filters, setFilters] = useState<Filters>({ stages: [], owners: [] });
  const [status, setStatus] = useState(labels.loading);

  const load = async () => setItems((await api.get<{ items: Saved[] }>('/app/api/console/segments')).items);
  useEffect(() => {
    api
      .get<Filters>('/app/api/console/filters')
      .then(setFilters)
      .catch(() => undefined);
    load()
      .then(() => setStatus(''))
      .catch((e: unknown) => setStatus(labels.failed + failure(e)));
  }, [api]);

  const act = async (write: () => Promise<string>) => {
    try {
      const done = await write();
      await load();
      setStatus(done);
    } catch (e) {
      setStatus(labels.failed + failure(e));
    }
  };

  return (
    <section class="segments-screen">
      <NewSegment api={api} w={w} filters={filters} act={act} />
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
  w,
  filters,
  act,
}: {
  api: ConsoleApi;
  w: Words;
  filters: Filters;
  act: (write: () => Promise<string>) => Promise<void>;
}) {
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
      <label>
        {w.stage}
        <select id="segment-stage" value={form.stage} onChange={set('stage')}>
          <option value="">{w.any}</option>
          {filters.stages.map((s) => (
            <option key={s.key} value={s.key}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {w.owner}
        <select id="segment-owner" value={form.owner} onChange={set('owner')}>
          <option value="">{w.any}</option>
          <option value="none">{w.unowned}</option>
          {filters.owners.map((o) => (
            <option key={o.id} value={String(o.id)}>
              {o.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {w.tag}
        <input id="segment-tag" value={form.tag} onInput={set('tag')} />
      </label>
      <label>
        {w.source}
        <input id="segment-source" value={form.source} onInput={set('source')} />
      </label>
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
