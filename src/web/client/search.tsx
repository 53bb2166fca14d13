import { useEffect, useState } from 'preact/hooks';
import type { Api } from './api.ts';
import type { Labels } from './types.ts';

/** No customer given: find one by name, company, phone digits or `#id` (within the staff member's scope). */
export function CustomerSearch(p: { api: Api; labels: Labels; onOpen: (id: number) => void }) {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Array<{ id: number; name: string; stage: string }> | null>(null);
  const search = async (e: Event) => {
    e.preventDefault();
    if (!q.trim()) return;
    const res = await p.api.get<{ customers?: Array<{ id: number; name: string; stage: string }> }>(
      `/app/api/lookup?q=${encodeURIComponent(q.trim())}`,
    );
    setFound(res.body.customers ?? []);
  };
  return (
    <section>
      <p class="muted">{p.labels.noCustomer}</p>
      <form class="row" onSubmit={search}>
        <input
          id="search-text"
          value={q}
          placeholder={p.labels.search}
          onInput={(e) => setQ(e.currentTarget.value)}
        />
        <button type="submit">{p.labels.searchButton}</button>
      </form>
      {found && found.length === 0 && <p class="muted">{p.labels.noMatch}</p>}
      {!found && <HotLeads api={p.api} labels={p.labels} onOpen={p.onOpen} />}
      <ul class="list">
        {found?.map((c) => (
          <li key={c.id}>
            <button type="button" class="link" onClick={() => p.onOpen(c.id)}>
              {c.name}
            </button>{' '}
            <span class="muted">{c.stage}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

type HotLead = { id: number; name: string; company: string | null; stage: string };

/** The staff member's hot leads (as `/mine` lists them), one tap from the panel's first screen. */
function HotLeads(p: { api: Api; labels: Labels; onOpen: (id: number) => void }) {
  const [list, setList] = useState<{ total: number; leads: HotLead[] } | null>(null);
  useEffect(() => {
    void p.api.get<{ total?: number; leads?: HotLead[] }>('/app/api/hot-leads').then((res) => {
      if (res.status === 200) setList({ total: res.body.total ?? 0, leads: res.body.leads ?? [] });
    });
  }, [p.api]);
  if (!list || list.leads.length === 0) return null;
  return (
    <section id="hot-leads">
      <h2>{p.labels.hotLeads}</h2>
      <ul class="list">
        {list.leads.map((c) => (
          <li key={c.id}>
            <button type="button" class="link" onClick={() => p.onOpen(c.id)}>
              🔥 {c.name}
            </button>{' '}
            <span class="muted">
              {c.company ? `${c.company} · ` : ''}
              {c.stage}
            </span>
          </li>
        ))}
      </ul>
      {list.total > list.leads.length && <p class="muted">{p.labels.hotLeadsMore}</p>}
    </section>
  );
}
