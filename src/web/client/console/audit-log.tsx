import { useEffect, useState } from 'preact/hooks';
import type { ConsoleLabels } from './console-api.ts';
import { useKeysetPages } from './keyset-pages.ts';
import type { ScreenProps } from './screens.tsx';

interface Entry {
  id: number;
  at: string;
  actor: { kind: 'staff' | 'system' | 'api'; staffId: number | null; name: string | null };
  via: string | null;
  action: string;
  subject: { kind: string; id: string } | null;
  customer: { id: number; name: string | null } | null;
  details: Array<{ key: string; value: string }>;
}

const FIELDS = ['actor', 'action', 'customer', 'from', 'to'] as const;
type Field = (typeof FIELDS)[number];

/** Who did it: the staff member's name, else the system or an API token, with the channel it came through. */
function who(e: Entry, w: ConsoleLabels['audit']): string {
  const name = e.actor.name ?? (e.actor.kind === 'api' ? w.apiToken : w.system);
  return e.via ? `${name} · ${w.via} ${e.via}` : name;
}

/**
 * The audit log the signed-in member may read, newest first, a page at a time; filters by staff member, action,
 * customer and days. Everything shown is text (details may hold what customers wrote).
 */
export function AuditLog({ api, labels, lang }: ScreenProps) {
  const w = labels.audit;
  const [owners, setOwners] = useState<Array<{ id: number; name: string }>>([]);
  const [form, setForm] = useState<Record<Field, string>>({
    actor: '',
    action: '',
    customer: '',
    from: '',
    to: '',
  });
  const { rows, next, status, load } = useKeysetPages<Entry, Field>(
    api,
    labels,
    '/app/api/console/audit',
    form,
  );

  useEffect(() => {
    api
      .get<{ owners: Array<{ id: number; name: string }> }>('/app/api/console/filters')
      .then((f) => setOwners(f.owners))
      .catch(() => undefined);
    void load(null);
  }, [api]);

  const set = (f: Field) => (e: Event) =>
    setForm((old) => ({ ...old, [f]: (e.currentTarget as HTMLInputElement).value }));

  return (
    <section class="audit-screen">
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void load(null);
        }}
      >
        <label>
          {w.actor}
          <select id="audit-actor" value={form.actor} onChange={set('actor')}>
            <option value="">{w.any}</option>
            {owners.map((o) => (
              <option key={o.id} value={String(o.id)}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {w.action}
          <input id="audit-action" value={form.action} onInput={set('action')} />
        </label>
        <label>
          {w.customerId}
          <input id="audit-customer" inputMode="numeric" value={form.customer} onInput={set('customer')} />
        </label>
        <label>
          {w.from}
          <input id="audit-from" type="date" value={form.from} onInput={set('from')} />
        </label>
        <label>
          {w.to}
          <input id="audit-to" type="date" value={form.to} onInput={set('to')} />
        </label>
        <button id="audit-apply" type="submit">
          {w.apply}
        </button>
      </form>
      <p class="muted">{w.scopeNote}</p>
      <p id="status" class="muted" role="status">
        {status}
      </p>
      <table id="audit">
        <thead>
          <tr>
            <th>{w.when}</th>
            <th>{w.who}</th>
            <th>{w.what}</th>
            <th>{w.customer}</th>
            <th>{w.details}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr key={e.id} class="entry" data-id={e.id} data-action={e.action}>
              <td class="when">{new Date(e.at).toLocaleString(lang)}</td>
              <td class="who">{who(e, w)}</td>
              <td class="what">
                {Object.hasOwn(w.actions, e.action) ? (
                  <>
                    {w.actions[e.action as keyof typeof w.actions]}
                    <span class="muted action-code"> {e.action}</span>
                  </>
                ) : (
                  e.action
                )}
              </td>
              <td class="about">
                {e.customer ? (
                  <a href={`/app?customer=${e.customer.id}`}>{e.customer.name ?? `#${e.customer.id}`}</a>
                ) : e.subject ? (
                  <span class="muted">
                    {e.subject.kind} {e.subject.id}
                  </span>
                ) : null}
              </td>
              <td>
                <dl class="details">
                  {e.details.map((d) => (
                    <div key={d.key}>
                      <dt>{d.key}</dt>
                      <dd>{d.value}</dd>
                    </div>
                  ))}
                </dl>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && !status ? <p class="muted">{w.none}</p> : null}
      {next ? (
        <button id="more" type="button" onClick={() => void load(next)}>
          {w.more}
        </button>
      ) : null}
    </section>
  );
}
