import { useEffect, useState } from 'preact/hooks';
import type { ConsoleLabels } from './console-api.ts';
import type { ScreenProps } from './screens.tsx';

interface Step {
  after: { days?: number; hours?: number };
  action: 'message' | 'remind';
  text: string;
}

interface Sop {
  id: number;
  name: string;
  trigger: { kind: 'tag' | 'stage' | 'source'; value: string };
  steps: Step[];
  active: boolean;
  enrollments: { total: number; active: number; stopped: number; done: number };
}

interface DraftStep {
  days: string;
  hours: string;
  action: 'message' | 'remind';
  text: string;
}

const problem = (labels: ConsoleLabels, e: unknown) =>
  labels.failed + (e instanceof Error ? e.message : String(e));
const emptyStep = (): DraftStep => ({ days: '0', hours: '0', action: 'message', text: '' });

/** SOPs: the follow-up sequences with their enrolled counts; creating one with its steps; switching one on or off. */
export function Sops({ api, labels }: ScreenProps) {
  const t = labels.sops;
  const [sops, setSops] = useState<Sop[] | null>(null);
  const [status, setStatus] = useState(labels.loading);
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Sop['trigger']['kind']>('tag');
  const [value, setValue] = useState('');
  const [steps, setSteps] = useState<DraftStep[]>([emptyStep()]);

  const load = async () => setSops((await api.get<{ items: Sop[] }>('/app/api/console/sops')).items);
  useEffect(() => {
    load()
      .then(() => setStatus(''))
      .catch((e: unknown) => setStatus(problem(labels, e)));
  }, [api]);

  const create = async (e: Event) => {
    e.preventDefault();
    try {
      await api.post('/app/api/console/sops', {
        name,
        trigger: { kind, value },
        steps: steps.map((s) => ({
          after: { days: Number(s.days) || 0, hours: Number(s.hours) || 0 },
          action: s.action,
          text: s.text,
        })),
      });
      setName('');
      setValue('');
      setSteps([emptyStep()]);
      await load();
      setStatus(t.created);
    } catch (err) {
      setStatus(problem(labels, err));
    }
  };

  const toggle = async (sop: Sop) => {
    try {
      await api.patch(`/app/api/console/sops/${sop.id}`, { active: !sop.active });
      await load();
      setStatus(t.changed);
    } catch (err) {
      setStatus(problem(labels, err));
    }
  };

  const setStep = (i: number, change: Partial<DraftStep>) =>
    setSteps(steps.map((s, j) => (j === i ? { ...s, ...change } : s)));
  const triggerWord = { tag: t.triggerTag, stage: t.triggerStage, source: t.triggerSource };
  const typed = (e: Event) => (e.currentTarget as HTMLInputElement).value;

  return (
    <section class="sops">
      <h1>{t.title}</h1>
      <p id="status" class="muted" role="status">
        {status}
      </p>
      {sops && sops.length === 0 ? <p class="muted">{t.none}</p> : null}
      {sops && sops.length > 0 ? (
        <table id="sop-list">
          <thead>
            <tr>
              <th>{t.name}</th>
              <th>{t.trigger}</th>
              <th>{t.steps}</th>
              <th>{t.enrolled}</th>
              <th>{t.state}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sops.map((s) => (
              <tr key={s.id} data-id={s.id} class={s.active ? '' : 'inactive'}>
                <td>{s.name}</td>
                <td>
                  {triggerWord[s.trigger.kind]} {s.trigger.value}
                </td>
                <td>{s.steps.length}</td>
                <td class="enrolled">
                  {s.enrollments.total} ({s.enrollments.active} {t.activeCount} · {s.enrollments.stopped}{' '}
                  {t.stoppedCount} · {s.enrollments.done} {t.doneCount})
                </td>
                <td class="sop-state">{s.active ? t.active : t.inactive}</td>
                <td>
                  <button type="button" class="toggle" onClick={() => void toggle(s)}>
                    {s.active ? t.deactivate : t.activate}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form id="sop-form" class="sop-form" onSubmit={create}>
        <label>
          {t.name}
          <input name="name" value={name} onInput={(e) => setName(typed(e))} required maxLength={100} />
        </label>
        <label>
          {t.trigger}
          <select
            name="trigger-kind"
            value={kind}
            onChange={(e) => setKind(typed(e) as Sop['trigger']['kind'])}
          >
            {(['tag', 'stage', 'source'] as const).map((k) => (
              <option key={k} value={k}>
                {triggerWord[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.triggerValue}
          <input name="trigger-value" value={value} onInput={(e) => setValue(typed(e))} required />
        </label>
        <ol class="sop-steps">
          {steps.map((s, i) => (
            <li key={i} class="sop-step">
              <label>
                {t.afterDays}
                <input
                  name={`step-${i}-days`}
                  type="number"
                  min={0}
                  value={s.days}
                  onInput={(e) => setStep(i, { days: typed(e) })}
                />
              </label>
              <label>
                {t.afterHours}
                <input
                  name={`step-${i}-hours`}
                  type="number"
                  min={0}
                  value={s.hours}
                  onInput={(e) => setStep(i, { hours: typed(e) })}
                />
              </label>
              <label>
                {t.action}
                <select
                  name={`step-${i}-action`}
                  value={s.action}
                  onChange={(e) => setStep(i, { action: typed(e) as DraftStep['action'] })}
                >
                  <option value="message">{t.message}</option>
                  <option value="remind">{t.remind}</option>
                </select>
              </label>
              <label class="wide">
                {t.text}
                <textarea
                  name={`step-${i}-text`}
                  value={s.text}
                  onInput={(e) => setStep(i, { text: typed(e) })}
                  required
                  rows={2}
                />
              </label>
              {steps.length > 1 ? (
                <button type="button" onClick={() => setSteps(steps.filter((_, j) => j !== i))}>
                  {t.removeStep}
                </button>
              ) : null}
            </li>
          ))}
        </ol>
        <button type="button" id="add-step" onClick={() => setSteps([...steps, emptyStep()])}>
          {t.addStep}
        </button>
        <button type="submit">{t.create}</button>
      </form>
    </section>
  );
}
