import type { ConsoleLabels } from './console-api.ts';

/** What the list's filters choose from (GET /app/api/console/filters). */
export interface FilterChoices {
  stages: Array<{ key: string; name: string }>;
  owners: Array<{ id: number; name: string }>;
  segments: Array<{ id: number; name: string }>;
}

/** A filter of the customer list, as the list's API names it. */
export type FilterField = 'q' | 'stage' | 'owner' | 'tag' | 'source' | 'segment';

/**
 * The customer list's filter fields, the same wherever customers are chosen by them (the list, a new segment, an
 * export): `fields` in the order shown, each input's id `<idPrefix>-<field>`.
 */
export function FilterFields(p: {
  labels: ConsoleLabels;
  choices: FilterChoices;
  fields: readonly FilterField[];
  form: Partial<Record<FilterField, string>>;
  set: (field: FilterField) => (e: Event) => void;
  idPrefix: string;
}) {
  const { labels, choices, form, set } = p;
  const id = (f: FilterField) => `${p.idPrefix}-${f}`;
  const field = (f: FilterField) => {
    switch (f) {
      case 'q':
        return (
          <input
            key={f}
            id={id(f)}
            type="search"
            placeholder={labels.search}
            value={form.q}
            onInput={set(f)}
          />
        );
      case 'stage':
        return (
          <label key={f}>
            {labels.stage}
            <select id={id(f)} value={form.stage} onChange={set(f)}>
              <option value="">{labels.any}</option>
              {choices.stages.map((s) => (
                <option key={s.key} value={s.key}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        );
      case 'owner':
        return (
          <label key={f}>
            {labels.owner}
            <select id={id(f)} value={form.owner} onChange={set(f)}>
              <option value="">{labels.any}</option>
              <option value="none">{labels.unowned}</option>
              {choices.owners.map((o) => (
                <option key={o.id} value={String(o.id)}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
        );
      case 'segment':
        return (
          <label key={f}>
            {labels.segment}
            <select id={id(f)} value={form.segment} onChange={set(f)}>
              <option value="">{labels.any}</option>
              {choices.segments.map((s) => (
                <option key={s.id} value={`#${s.id}`}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        );
      default:
        return (
          <label key={f}>
            {f === 'tag' ? labels.tag : labels.source}
            <input id={id(f)} value={form[f]} onInput={set(f)} />
          </label>
        );
    }
  };
  return <>{p.fields.map(field)}</>;
}
