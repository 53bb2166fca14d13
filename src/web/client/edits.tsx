import { useState } from 'preact/hooks';
import type { CustomerRecord, Labels } from './types.ts';

/** A write on the open customer: the path under it, the body; resolves to whether it worked. */
export type Write = (path: string, json: unknown, done?: string) => Promise<boolean>;

export function TagEdit(p: { labels: Labels; tags: CustomerRecord['tags']; write: Write }) {
  const [name, setName] = useState('');
  const add = async (e: Event) => {
    e.preventDefault();
    if (name.trim() && (await p.write('/tags', { name: name.trim(), on: true }))) setName('');
  };
  return (
    <section>
      <h2>{p.labels.tags}</h2>
      <ul id="tags" class="chips">
        {p.tags.map((t) => (
          <li key={t.name} class="tag" data-source={t.source}>
            {t.label}
            <button
              type="button"
              class="chip-x"
              aria-label={`${p.labels.removeTag}: ${t.name}`}
              onClick={() => p.write('/tags', { name: t.name, on: false })}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form class="row" onSubmit={add}>
        <input id="tag-name" value={name} maxLength={50} onInput={(e) => setName(e.currentTarget.value)} />
        <button id="tag-add" type="submit">
          {p.labels.addTag}
        </button>
      </form>
    </section>
  );
}

export function StageEdit(p: {
  labels: Labels;
  stage: string;
  stages: CustomerRecord['stages'];
  write: Write;
}) {
  const [stage, setStage] = useState(p.stage);
  return (
    <form
      class="row"
      onSubmit={(e) => {
        e.preventDefault();
        void p.write('/stage', { stage });
      }}
    >
      <label for="stage-select">{p.labels.stage}</label>
      <select id="stage-select" value={stage} onChange={(e) => setStage(e.currentTarget.value)}>
        {p.stages.map((s) => (
          <option key={s.key} value={s.key}>
            {s.name}
          </option>
        ))}
      </select>
      <button id="stage-set" type="submit">
        {p.labels.setStage}
      </button>
    </form>
  );
}

export function NoteEdit(p: { labels: Labels; write: Write }) {
  const [text, setText] = useState('');
  const add = async (e: Event) => {
    e.preventDefault();
    if (text.trim() && (await p.write('/notes', { text }))) setText('');
  };
  return (
    <form onSubmit={add}>
      <h2>{p.labels.note}</h2>
      <textarea id="note-text" rows={2} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      <button id="note-add" type="submit">
        {p.labels.addNote}
      </button>
    </form>
  );
}

export function ReminderEdit(p: { labels: Labels; write: Write }) {
  const [when, setWhen] = useState('');
  const [text, setText] = useState('');
  const add = async (e: Event) => {
    e.preventDefault();
    const at = new Date(when);
    if (!text.trim() || Number.isNaN(at.getTime())) return;
    if (await p.write('/reminders', { at: at.toISOString(), text })) setText('');
  };
  return (
    <form onSubmit={add}>
      <h2>{p.labels.reminder}</h2>
      <div class="row">
        <input
          id="reminder-at"
          type="datetime-local"
          aria-label={p.labels.reminderWhen}
          value={when}
          onInput={(e) => setWhen(e.currentTarget.value)}
        />
        <input
          id="reminder-text"
          value={text}
          maxLength={500}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </div>
      <button id="reminder-set" type="submit">
        {p.labels.setReminder}
      </button>
    </form>
  );
}
