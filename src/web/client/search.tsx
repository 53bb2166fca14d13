import { useState } from 'preact/hooks';
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
