/** Staff risk (API.md §8.4): KPIs, incidents with filters and analysis, live alerts, logins, IP unlock. */
import { useState, type FormEvent } from "react";
import { describeError } from "../../api/messages";
import type { Analysis, Incident } from "../../api/types";
import { useAuth } from "../../auth/AuthContext";
import { useLive } from "../../auth/Live";
import { Field, Select } from "../../components/Field";
import { ErrorText, Loading, Notice } from "../../components/Status";
import { formatDate } from "../../components/TransactionTable";
import { useLoad } from "../../components/useLoad";

const SEVERITIES = ["low", "medium", "high", "critical"];

export default function Risk() {
  const { api } = useAuth();
  const { alerts } = useLive();
  const [severity, setSeverity] = useState("");
  const [search, setSearch] = useState("");
  const [selected, setSelected] = useState<Incident | null>(null);
  const kpis = useLoad(() => api.riskKpis(), [api, alerts.length]);
  const incidents = useLoad(
    () => api.incidents({ severity, search, page_size: 25 }),
    [api, severity, search, alerts.length],
  );
  const logins = useLoad(() => api.logins({ page_size: 10 }), [api]);

  return (
    <main>
      <h1>Risk</h1>
      <Loading state={kpis} empty="">
        {(data) => (
          <dl className="kpis">
            {Object.entries(data)
              .filter((entry): entry is [string, number] => typeof entry[1] === "number")
              .map(([name, value]) => (
              <div key={name}>
                <dt>{name.replace(/_/g, " ")}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        )}
      </Loading>
      <section aria-labelledby="alerts-heading">
        <h2 id="alerts-heading">Live alerts</h2>
        {alerts.length === 0 ? (
          <p className="empty">No alert since this page opened.</p>
        ) : (
          <ul className="list">
            {alerts.map((alert) => (
              <li key={alert.incident_id}>
                <span className={`severity ${alert.severity}`}>{alert.severity}</span> {alert.event}: {alert.message}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="incidents-heading">
        <h2 id="incidents-heading">Incidents</h2>
        <div className="filters">
          <Select label="Severity" value={severity} onChange={(e) => setSeverity(e.target.value)}>
            <option value="">All</option>
            {SEVERITIES.map((name) => (
              <option key={name}>{name}</option>
            ))}
          </Select>
          <Field label="Search (event, email, IP, country)" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <Loading state={incidents} empty="No incidents match." isEmpty={(page) => page.count === 0}>
          {(page) => (
            <ul className="list">
              {page.results.map((incident) => (
                <li key={incident.id}>
                  <span className={`severity ${incident.severity}`}>{incident.severity}</span> {incident.event}
                  <span className="muted">
                    {" "}
                    · {formatDate(incident.timestamp)} · {incident.user_email ?? incident.attempted_email ?? "—"} · {incident.ip ?? "—"}
                  </span>{" "}
                  <button type="button" className="link" onClick={() => setSelected(incident)}>
                    Details
                  </button>
                </li>
              ))}
            </ul>
          )}
        </Loading>
      </section>
      {selected && <IncidentDetail incident={selected} onClose={() => setSelected(null)} />}
      <section aria-labelledby="logins-heading">
        <h2 id="logins-heading">Recent logins</h2>
        <Loading state={logins} empty="No login yet." isEmpty={(page) => page.count === 0}>
          {(page) => (
            <ul className="list">
              {page.results.map((event) => (
                <li key={event.id}>
                  {event.successful ? "✓" : "✗"} {event.attempted_email} · {event.ip ?? "—"} {event.country} · {formatDate(event.timestamp)}
                  {event.failure_reason ? ` · ${event.failure_reason}` : ""}
                </li>
              ))}
            </ul>
          )}
        </Loading>
      </section>
      <UnlockIp />
    </main>
  );
}

function IncidentDetail({ incident, onClose }: { incident: Incident; onClose: () => void }) {
  const { api } = useAuth();
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [error, setError] = useState<string | null>(null);
  const analyze = async () => {
    setError(null);
    try {
      setAnalysis(await api.analyze(incident.id));
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  return (
    <section className="panel" aria-labelledby="incident-heading">
      <h2 id="incident-heading">
        Incident {incident.id}: {incident.event}
      </h2>
      <pre className="details">{JSON.stringify(incident.details, null, 2)}</pre>
      {incident.gemini_analysis && <p>{incident.gemini_analysis}</p>}
      <button type="button" onClick={analyze}>
        Analyse
      </button>{" "}
      <button type="button" className="secondary" onClick={onClose}>
        Close
      </button>
      <ErrorText message={error} />
      {analysis && (
        <div aria-live="polite">
          <p>
            <strong>Action:</strong> {analysis.recommended_action}{" "}
            <span className="badge">{analysis.ai_generated ? `Generated by AI (${analysis.model})` : "Deterministic"}</span>
          </p>
          <p>{analysis.analysis}</p>
        </div>
      )}
    </section>
  );
}

function UnlockIp() {
  const { api } = useAuth();
  const [ip, setIp] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const unlock = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setNotice(null);
    try {
      setNotice((await api.unlockIp(ip)).detail);
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  return (
    <section aria-labelledby="unlock-heading">
      <h2 id="unlock-heading">Unlock an IP</h2>
      <form className="inline-form" onSubmit={unlock}>
        <Field label="IP address" required value={ip} onChange={(e) => setIp(e.target.value)} />
        <button type="submit">Unlock</button>
      </form>
      <ErrorText message={error} />
      <Notice message={notice} />
    </section>
  );
}
