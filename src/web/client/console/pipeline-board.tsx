import { useEffect, useState } from 'preact/hooks';
import { type ConsoleApi, type ConsoleLabels, money } from './console-api.ts';

interface Card {
  id: number;
  title: string;
  customerId: number;
  customerName: string;
  amountMinor: number;
  currency: string;
  stage: string;
  owner: { id: number; name: string } | null;
  /** YYYY-MM-DD in the organisation's time zone. */
  closeDate: string | null;
}

interface Forecast {
  currency: string;
  weightedMinor: number;
  stages: Array<{ stage: string; weightedMinor: number }>;
}

interface Board {
  stages: Array<{ key: string; name: string; probability: number }>;
  deals: Card[];
  more: boolean;
  forecast: Forecast[];
}

/** The pipeline: a column per deal stage; a card moves by dragging it, or by its stage list (keyboard). */
export function PipelineBoard({
  api,
  labels,
  lang,
}: {
  api: ConsoleApi;
  labels: ConsoleLabels;
  lang: string;
}) {
  const [board, setBoard] = useState<Board | null>(null);
  const [status, setStatus] = useState(labels.loading);
  const [over, setOver] = useState<string | null>(null);

  const load = async () => {
    setBoard(await api.get<Board>('/app/api/console/pipeline'));
  };
  useEffect(() => {
    load()
      .then(() => setStatus(''))
      .catch((e: unknown) => setStatus(labels.failed + (e instanceof Error ? e.message : String(e))));
  }, [api]);

  const move = async (id: number, stage: string) => {
    const card = board?.deals.find((d) => d.id === id);
    if (!card || card.stage === stage) return;
    try {
      await api.patch(`/app/api/console/deals/${id}`, { stage });
      await load();
      setStatus(labels.moved);
    } catch (e) {
      setStatus(labels.failed + (e instanceof Error ? e.message : String(e)));
    }
  };

  if (!board)
    return (
      <p id="status" class="muted" role="status">
        {status}
      </p>
    );
  const weighted = (stage: string | null) =>
    board.forecast
      .map((f) => {
        const minor =
          stage === null
            ? f.weightedMinor
            : f.stages.filter((s) => s.stage === stage).reduce((n, s) => n + s.weightedMinor, 0);
        return money(minor, f.currency, lang);
      })
      .join(' + ') || money(0, 'CNY', lang);

  return (
    <section>
      <p id="forecast-total" class="forecast">
        {labels.forecast} · {labels.total}: {weighted(null)}
      </p>
      <p id="status" class="muted" role="status">
        {status}
      </p>
      {board.more ? <p class="muted">{labels.truncated}</p> : null}
      {board.deals.length === 0 ? <p class="muted">{labels.noDeals}</p> : null}
      <div class="board">
        {board.stages.map((s) => {
          const cards = board.deals.filter((d) => d.stage === s.key);
          return (
            // biome-ignore lint/a11y/noStaticElementInteractions: a drop target for the mouse; each card's stage list moves it by keyboard
            <section
              key={s.key}
              class={over === s.key ? 'column over' : 'column'}
              data-stage={s.key}
              onDragOver={(e) => {
                e.preventDefault();
                setOver(s.key);
              }}
              onDragLeave={() => setOver(null)}
              onDrop={(e) => {
                e.preventDefault();
                setOver(null);
                const id = Number(e.dataTransfer?.getData('text/plain'));
                if (id) void move(id, s.key);
              }}
            >
              <h2>
                {s.name} <span class="muted">{s.probability}%</span>
              </h2>
              <p class="weighted muted">
                {cards.length} {labels.deals} · {weighted(s.key)}
              </p>
              {cards.map((d) => (
                <article
                  key={d.id}
                  class="deal"
                  data-id={d.id}
                  draggable
                  onDragStart={(e) => e.dataTransfer?.setData('text/plain', String(d.id))}
                >
                  <strong class="deal-title">{d.title}</strong>
                  <a href={`/app?customer=${d.customerId}`}>{d.customerName}</a>
                  <span>{money(d.amountMinor, d.currency, lang)}</span>
                  {d.closeDate ? (
                    <span class="muted close-date">
                      {labels.closeDate} {d.closeDate}
                    </span>
                  ) : null}
                  <span class="muted">{d.owner?.name ?? labels.unowned}</span>
                  <label>
                    {labels.moveTo}{' '}
                    <select
                      class="move"
                      value={d.stage}
                      onChange={(e) => void move(d.id, (e.currentTarget as HTMLSelectElement).value)}
                    >
                      {board.stages.map((o) => (
                        <option key={o.key} value={o.key}>
                          {o.name}
                        </option>
                      ))}
                    </select>
                  </label>
                </article>
              ))}
            </section>
          );
        })}
      </div>
    </section>
  );
}
