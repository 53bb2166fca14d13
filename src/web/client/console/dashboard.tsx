import { useEffect, useState } from 'preact/hooks';
import { BarChart, ChartTable, FunnelChart, LineChart } from './charts.tsx';
import type { ConsoleLabels } from './console-api.ts';
import type { ScreenProps } from './screens.tsx';

/** The dashboard's JSON (src/web/console/dashboard-routes.ts). */
interface Dashboard {
  days: number;
  from: string;
  to: string;
  scope: 'org' | 'team' | 'own';
  replySlaMs: number;
  funnel: Array<{ stage: string; name: string; count: number; change: number; openDealsMinor: number }>;
  newCustomers: { total: number; bySource: Array<{ source: string; count: number }> };
  messages: { inbound: number; outbound: number };
  waiting: {
    count: number;
    overSla: number;
    longestMs: number;
    top: Array<{ id: number; name: string; waitingMs: number }>;
  };
  reps: Array<{ name: string; replies: number; notes: number; medianFirstResponseMs: number | null }>;
  trend: Array<{ day: string; inbound: number; outbound: number; newCustomers: number }>;
}

type Words = ConsoleLabels['dashboard'];
const PERIODS = [7, 30] as const;

/** A time span as the digest says it: minutes under an hour, hours under two days, then days. */
function duration(ms: number, t: Words): string {
  const minutes = Math.max(1, Math.floor(ms / 60_000));
  const hours = Math.floor(minutes / 60);
  const [template, n] =
    minutes < 60 ? [t.minutes, minutes] : hours < 48 ? [t.hours, hours] : [t.days, hours / 24];
  return template.replace('{n}', String(Math.floor(n)));
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** The period the address asks for (`?days=30`), else the last 7 days. */
const periodOf = (search: string) => (new URLSearchParams(search).get('days') === '30' ? 30 : 7);

/** The dashboard: the digest's facts for the staff member's scope as charts, over the last 7 or 30 days. */
export function DashboardView({ api, labels, lang }: ScreenProps) {
  const t = labels.dashboard;
  const [days, setDays] = useState<number>(() => periodOf(location.search));
  const [data, setData] = useState<Dashboard | null>(null);
  const [status, setStatus] = useState(labels.loading);

  useEffect(() => {
    setStatus(labels.loading);
    api
      .get<Dashboard>(`/app/api/console/dashboard?days=${days}`)
      .then((d) => {
        setData(d);
        setStatus('');
      })
      .catch((e: unknown) => setStatus(labels.failed + (e instanceof Error ? e.message : String(e))));
  }, [api, days]);

  const pick = (value: string) => {
    const next = Number(value);
    history.replaceState(null, '', next === 7 ? location.pathname : `${location.pathname}?days=${next}`);
    setDays(next);
  };
  const number = (n: number) => n.toLocaleString(lang);
  const amount = (minor: number) => (minor / 100).toLocaleString(lang, { maximumFractionDigits: 2 });

  return (
    <section class="dashboard">
      <div class="dashboard-head">
        <label>
          {t.period}{' '}
          <select
            id="dashboard-period"
            value={String(days)}
            onChange={(e) => pick((e.currentTarget as HTMLSelectElement).value)}
          >
            {PERIODS.map((p) => (
              <option key={p} value={String(p)}>
                {p === 7 ? t.last7 : t.last30}
              </option>
            ))}
          </select>
        </label>
        {data ? (
          <span class="muted" id="dashboard-scope">
            {data.scope === 'org' ? t.scopeOrg : data.scope === 'team' ? t.scopeTeam : t.scopeOwn} ·{' '}
            {new Date(data.from).toLocaleDateString(lang)} – {new Date(data.to).toLocaleDateString(lang)}
          </span>
        ) : null}
      </div>
      <p id="status" class="muted" role="status">
        {status}
      </p>
      {data ? (
        <>
          <dl class="dash-tiles">
            <Tile id="tile-new" term={t.newCustomers} value={number(data.newCustomers.total)} />
            <Tile id="tile-in" term={t.inbound} value={number(data.messages.inbound)} />
            <Tile id="tile-out" term={t.outbound} value={number(data.messages.outbound)} />
            <Tile id="tile-waiting" term={t.waiting} value={number(data.waiting.count)} />
            <Tile id="tile-over-sla" term={t.overSla} value={number(data.waiting.overSla)} />
          </dl>
          <div class="dash-cards">
            <figure class="dash-card" id="chart-funnel">
              <figcaption>{t.funnel}</figcaption>
              <FunnelChart
                title={t.funnel}
                stages={data.funnel.map((s) => ({
                  label: s.name,
                  value: s.count,
                  text: `${number(s.count)}${s.change ? ` (${signed(s.change)})` : ''}${s.openDealsMinor ? ` · ${amount(s.openDealsMinor)}` : ''}`,
                }))}
              />
              <ChartTable
                caption={t.funnel}
                head={[t.stage, t.customers, t.change, t.openDeals]}
                rows={data.funnel.map((s) => ({
                  key: s.stage,
                  cells: [s.name, number(s.count), signed(s.change), amount(s.openDealsMinor)],
                }))}
              />
            </figure>
            <figure class="dash-card" id="chart-sources">
              <figcaption>{t.sources}</figcaption>
              {data.newCustomers.bySource.length === 0 ? <p class="muted">{t.noData}</p> : null}
              <BarChart
                title={t.sources}
                rows={data.newCustomers.bySource.map((s) => ({ label: s.source, values: [s.count] }))}
              />
              <ChartTable
                caption={t.sources}
                head={[t.source, t.newCustomers]}
                rows={data.newCustomers.bySource.map((s) => ({
                  key: s.source,
                  cells: [s.source, number(s.count)],
                }))}
              />
            </figure>
            <Reps data={data} t={t} number={number} />
            <Waiting data={data} t={t} number={number} />
            <figure class="dash-card wide" id="chart-trend">
              <figcaption>{t.trend}</figcaption>
              <LineChart
                title={t.trend}
                points={data.trend.map((d) => d.day)}
                lines={[
                  { label: t.inbound, values: data.trend.map((d) => d.inbound) },
                  { label: t.outbound, values: data.trend.map((d) => d.outbound) },
                  { label: t.newCustomers, values: data.trend.map((d) => d.newCustomers) },
                ]}
              />
              <ChartTable
                caption={t.trend}
                head={[t.day, t.inbound, t.outbound, t.newCustomers]}
                rows={data.trend.map((d) => ({
                  key: d.day,
                  cells: [d.day, number(d.inbound), number(d.outbound), number(d.newCustomers)],
                }))}
              />
            </figure>
          </div>
        </>
      ) : null}
    </section>
  );
}

function Tile({ id, term, value }: { id: string; term: string; value: string }) {
  return (
    <div class="dash-tile" id={id}>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </div>
  );
}

type Part = { data: Dashboard; t: Words; number: (n: number) => string };

/** Replies and notes per rep, and each rep's median first response. */
function Reps({ data, t, number }: Part) {
  const timed = data.reps.filter((r) => r.medianFirstResponseMs !== null);
  return (
    <figure class="dash-card" id="chart-reps">
      <figcaption>{t.reps}</figcaption>
      {data.reps.length === 0 ? (
        <p class="muted">{t.noReps}</p>
      ) : (
        <>
          <ul class="legend">
            <li>
              <span class="swatch s0" aria-hidden="true" />
              {t.replies}
            </li>
            <li>
              <span class="swatch s1" aria-hidden="true" />
              {t.notes}
            </li>
          </ul>
          <BarChart
            title={`${t.reps} (${t.replies} / ${t.notes})`}
            series={2}
            rows={data.reps.map((r) => ({ label: r.name, values: [r.replies, r.notes] }))}
          />
          {timed.length > 0 ? (
            <>
              <h3>{t.firstResponse}</h3>
              <BarChart
                title={t.firstResponse}
                rows={timed.map((r) => ({
                  label: r.name,
                  values: [Math.round(Number(r.medianFirstResponseMs) / 60_000)],
                  text: duration(Number(r.medianFirstResponseMs), t),
                }))}
              />
            </>
          ) : null}
        </>
      )}
      <ChartTable
        caption={t.reps}
        head={[t.rep, t.replies, t.notes, t.firstResponse]}
        rows={data.reps.map((r, i) => ({
          key: `${i}-${r.name}`,
          cells: [
            r.name,
            number(r.replies),
            number(r.notes),
            r.medianFirstResponseMs === null ? t.none : duration(r.medianFirstResponseMs, t),
          ],
        }))}
      />
    </figure>
  );
}

/** Customers waiting for a reply: how many, how many past the SLA, the longest waits (each opens the panel). */
function Waiting({ data, t, number }: Part) {
  const w = data.waiting;
  const longest = Math.max(1, ...w.top.map((c) => c.waitingMs));
  return (
    <figure class="dash-card" id="chart-sla">
      <figcaption>{t.sla}</figcaption>
      <p>
        {t.waiting}: <strong>{number(w.count)}</strong> · {t.overSla}: <strong>{number(w.overSla)}</strong> ·{' '}
        {t.longestWait}: <strong>{w.count ? duration(w.longestMs, t) : t.none}</strong>
        <span class="muted">
          {' '}
          ({t.slaLimit} {duration(data.replySlaMs, t)})
        </span>
      </p>
      {w.top.length === 0 ? (
        <p class="muted">{t.noWaiting}</p>
      ) : (
        <table class="waiting">
          <caption>{t.topWaiting}</caption>
          <thead>
            <tr>
              <th scope="col">{t.customer}</th>
              <th scope="col">{t.waited}</th>
            </tr>
          </thead>
          <tbody>
            {w.top.map((c) => (
              <tr key={c.id} class={c.waitingMs > data.replySlaMs ? 'over-sla' : undefined}>
                <td>
                  <a href={`/app?customer=${c.id}`}>{c.name}</a>
                </td>
                <td>
                  <svg class="chart meter" viewBox="0 0 100 8" aria-hidden="true" preserveAspectRatio="none">
                    <rect
                      class="bar"
                      x={0}
                      y={0}
                      height={8}
                      width={Math.max(2, (c.waitingMs / longest) * 100)}
                    />
                  </svg>{' '}
                  {duration(c.waitingMs, t)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </figure>
  );
}
