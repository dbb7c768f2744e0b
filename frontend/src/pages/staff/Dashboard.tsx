/**
 * Staff dashboard (API.md §9): a day's KPIs, daily / weekly / monthly charts, per-country
 * and per-currency breakdowns and the advisor's reading. Days without data are zero rows:
 * charts draw them as zero and an empty list is a sentence, never a crash.
 */
import { useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { describeError } from "../../api/messages";
import type { Advice, DailyMetrics, PeriodMetrics } from "../../api/types";
import { useAuth } from "../../auth/AuthContext";
import { Field } from "../../components/Field";
import { Table } from "../../components/Table";
import { ErrorText, Loading } from "../../components/Status";
import { useLoad } from "../../components/useLoad";

const DAY_MS = 24 * 3600 * 1000;
const CHART_DAYS = 14;

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** One point per day from `from` to `to`, zero where the API has no row. */
export function fillDays(rows: DailyMetrics[], from: string, to: string) {
  const byDate = new Map(rows.map((row) => [row.date, row]));
  const points = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += DAY_MS) {
    const date = isoDay(new Date(t));
    const row = byDate.get(date);
    points.push({
      date: date.slice(5),
      transactions: row?.total_transactions_success ?? 0,
      volume: Number(row?.total_transferred_amount ?? 0),
      revenue: Number(row?.net_revenue ?? 0),
      active: row?.active_users ?? 0,
    });
  }
  return points;
}

function periodPoints(rows: PeriodMetrics[] | undefined) {
  return [...(rows ?? [])].reverse().map((row) => ({
    period: row.week_start ?? row.month?.slice(0, 7) ?? "",
    transactions: row.total_transactions_success,
    volume: Number(row.total_transferred_amount),
    revenue: Number(row.net_revenue),
    active: row.active_users,
  }));
}

export default function Dashboard() {
  const { api } = useAuth();
  const [day, setDay] = useState("");
  const [chartTo, setChartTo] = useState(() => isoDay(new Date()));
  const overview = useLoad(() => api.overview(day), [api, day]);
  const chartFrom = isoDay(new Date(Date.parse(chartTo) - (CHART_DAYS - 1) * DAY_MS));
  const daily = useLoad(
    () => api.daily({ date_from: chartFrom, date_to: chartTo, page_size: 100 }),
    [api, chartFrom, chartTo],
  );

  return (
    <main>
      <h1>Business dashboard</h1>
      <div className="filters">
        <Field label="Day (empty: today)" type="date" value={day} onChange={(e) => setDay(e.target.value)} />
      </div>
      <Loading state={overview} empty="">
        {(data) => (
          <>
            <Kpis row={data.daily} />
            <section aria-labelledby="weekly-heading">
              <h2 id="weekly-heading">Weekly and monthly</h2>
              <PeriodChart title="Weekly" points={periodPoints(data.weekly)} />
              <PeriodChart title="Monthly" points={periodPoints(data.monthly)} />
            </section>
            <section aria-labelledby="breakdown-heading">
              <h2 id="breakdown-heading">Breakdowns of {data.daily.date}</h2>
              <Breakdown
                caption="By country"
                headers={["Country", "Users", "Active", "Transactions", "Amount (JOD)"]}
                rows={data.country
                  .filter((row) => row.date === data.daily.date)
                  .map((row) => [row.country || "—", row.count, row.active_users, row.tx_count, row.tx_amount])}
              />
              <Breakdown
                caption="By currency"
                headers={["Currency", "Transactions", "Amount", "FX volume", "Fees"]}
                rows={data.currency
                  .filter((row) => row.date === data.daily.date)
                  .map((row) => [row.currency, row.tx_count, row.tx_amount, row.fx_volume, row.fee_revenue])}
              />
            </section>
            <AdvisorPanel date={data.daily.date} />
          </>
        )}
      </Loading>
      <section aria-labelledby="daily-heading">
        <h2 id="daily-heading">Daily, {CHART_DAYS} days</h2>
        <Field label="Up to" type="date" value={chartTo} onChange={(e) => e.target.value && setChartTo(e.target.value)} />
        <Loading state={daily} empty="">
          {(page) => <DailyCharts points={fillDays(page.results, chartFrom, chartTo)} />}
        </Loading>
      </section>
    </main>
  );
}

function Kpis({ row }: { row: DailyMetrics }) {
  const items: [string, string | number][] = [
    ["Transfers", row.total_transactions_success],
    ["Failed transfers", row.total_transactions_failed],
    ["Volume (JOD)", row.total_transferred_amount],
    ["Fee revenue (JOD)", row.fee_revenue],
    ["Bill payments", row.bill_payments_count],
    ["Net revenue (JOD)", row.net_revenue],
    ["Active users", row.active_users],
    ["New users", row.new_users],
    ["Failed logins", row.failed_logins],
    ["Incidents", row.incidents],
  ];
  return (
    <section aria-labelledby="kpi-heading">
      <h2 id="kpi-heading">Key figures of {row.date}</h2>
      <dl className="kpis" data-testid="kpis">
        {items.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

type Point = Record<string, string | number>;

function DailyCharts({ points }: { points: Point[] }) {
  return (
    <div className="charts">
      <Chart title="Transfers and active users" points={points} x="date" series={["transactions", "active"]} />
      <Chart title="Volume and net revenue (JOD)" points={points} x="date" series={["volume", "revenue"]} />
    </div>
  );
}

function PeriodChart({ title, points }: { title: string; points: Point[] }) {
  if (points.length === 0) return <p className="empty">{title}: no data yet.</p>;
  return (
    <div className="charts">
      <Chart title={`${title} transfers and active users`} points={points} x="period" series={["transactions", "active"]} bars />
      <Chart title={`${title} volume and net revenue (JOD)`} points={points} x="period" series={["volume", "revenue"]} bars />
    </div>
  );
}

const COLORS = ["#1f5fbf", "#c2410c"];

function Chart({ title, points, x, series, bars }: { title: string; points: Point[]; x: string; series: string[]; bars?: boolean }) {
  const Kind = bars ? BarChart : LineChart;
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <Kind data={points}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey={x} />
          <YAxis />
          <Tooltip />
          <Legend />
          {series.map((name, index) =>
            bars ? (
              <Bar key={name} dataKey={name} fill={COLORS[index]} isAnimationActive={false} />
            ) : (
              <Line key={name} dataKey={name} stroke={COLORS[index]} isAnimationActive={false} />
            ),
          )}
        </Kind>
      </ResponsiveContainer>
    </figure>
  );
}

function Breakdown({ caption, headers, rows }: { caption: string; headers: string[]; rows: (string | number)[][] }) {
  if (rows.length === 0) return <p className="empty">{caption}: nothing recorded that day.</p>;
  return <Table caption={caption} headers={headers} rows={rows.map((cells) => ({ key: String(cells[0]), cells }))} />;
}

function AdvisorPanel({ date }: { date: string }) {
  const { api } = useAuth();
  const [advice, setAdvice] = useState<Advice | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ask = async () => {
    setBusy(true);
    setError(null);
    try {
      setAdvice(await api.advisor(date));
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="advisor-heading">
      <h2 id="advisor-heading">Advisor</h2>
      <button type="button" className="secondary" onClick={ask} disabled={busy}>
        Read {date}
      </button>
      <ErrorText message={error} />
      {advice && (
        <div className="advice" aria-live="polite">
          <p className="badge">{advice.ai_generated ? `Generated by AI (${advice.model})` : "Deterministic reading"}</p>
          <p>{advice.summary}</p>
          <p>
            <strong>Recommended:</strong> {advice.recommended_action}
          </p>
        </div>
      )}
    </section>
  );
}
