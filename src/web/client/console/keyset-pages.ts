import { useState } from 'preact/hooks';
import type { ConsoleApi, ConsoleLabels } from './console-api.ts';

/**
 * A list the server pages by cursor (`{ items, nextCursor }`): `load(null)` shows the first page for the form's
 * filters (each non-blank one a query parameter), `load(next)` appends the next; `status` says loading or what failed.
 */
export function useKeysetPages<T, F extends string>(
  api: ConsoleApi,
  labels: ConsoleLabels,
  path: string,
  form: Record<F, string>,
) {
  const [rows, setRows] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [status, setStatus] = useState(labels.loading);
  const load = async (after: string | null) => {
    const params = new URLSearchParams();
    for (const [field, value] of Object.entries<string>(form))
      if (value.trim()) params.set(field, value.trim());
    if (after) params.set('after', after);
    setStatus(labels.loading);
    try {
      const page = await api.get<{ items: T[]; nextCursor: string | null }>(`${path}?${params}`);
      setRows((shown) => (after ? [...shown, ...page.items] : page.items));
      setNext(page.nextCursor);
      setStatus('');
    } catch (e) {
      setStatus(labels.failed + (e instanceof Error ? e.message : String(e)));
    }
  };
  return { rows, next, status, load };
}

/** Runs a write, reloads the screen, and says how it went (the write's own words, or what failed). */
export function writeThenReload(
  load: () => Promise<unknown>,
  setStatus: (text: string) => void,
  labels: ConsoleLabels,
) {
  return async (write: () => Promise<string>) => {
    try {
      const done = await write();
      await load();
      setStatus(done);
    } catch (e) {
      setStatus(labels.failed + (e instanceof Error ? e.message : String(e)));
    }
  };
}
