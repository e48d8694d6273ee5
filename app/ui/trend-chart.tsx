// A line chart of daily values, drawn on the server as SVG (visx scales and paths; no client JS, no inline styles
// for the CSP). The numbers are also in a table, for screen readers and for anyone who prefers them.
import { scaleLinear, scaleUtc } from "@visx/scale";
import { LinePath } from "@visx/shape";

export interface Series {
  key: string;
  label: string;
  /** A CSS class giving the line its colour. */
  className: string;
}

const W = 640;
const H = 200;
const M = { top: 12, right: 16, bottom: 28, left: 40 };

export function TrendChart<T extends { day: string }>({ title, points, series }: { title: string; points: T[]; series: Series[] }) {
  if (points.length === 0) return <p className="subtle">No scans in this period yet.</p>;
  // null is "unknown" (e.g. advisories the source could not give): the line breaks there and the table says so.
  const value = (p: T, key: string): number | null => {
    const v = (p as Record<string, unknown>)[key];
    return v === null || v === undefined ? null : Number(v);
  };
  const shown = (v: number | null) => (v === null ? "unknown" : String(v));
  const dates = points.map((p) => new Date(`${p.day}T00:00:00Z`));
  const max = Math.max(1, ...points.flatMap((p) => series.map((s) => value(p, s.key) ?? 0)));
  // Coordinates to a tenth of a unit (a 640-wide view box): 136.44444444444443 on every dot and line made the
  // fleet chart alone tens of KB of the page.
  const tenth = (n: number) => Math.round(n * 10) / 10;
  const xScale = scaleUtc({ domain: [dates[0]!, dates[dates.length - 1]!], range: [M.left, W - M.right] });
  const yScale = scaleLinear({ domain: [0, max], range: [H - M.bottom, M.top], nice: true });
  const x = (d: Date) => tenth(xScale(d));
  const y = (v: number) => tenth(yScale(v));
  const yTicks = yScale.ticks(4);
  const xTicks = xScale.ticks(Math.min(6, points.length));
  const last = points[points.length - 1]!;
  const summary = `${title}: latest ${series.map((s) => `${shown(value(last, s.key))} ${s.label}`).join(", ")} on ${last.day}.`;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        <title>{summary}</title>
        {yTicks.map((t) => (
          <g key={`y${t}`}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} className="chart-grid" />
            <text x={M.left - 6} y={y(t)} textAnchor="end" dominantBaseline="middle" className="chart-tick">
              {t}
            </text>
          </g>
        ))}
        {xTicks.map((t) => (
          <text key={`x${t.getTime()}`} x={x(t)} y={H - 8} textAnchor="middle" className="chart-tick">
            {t.toISOString().slice(5, 10)}
          </text>
        ))}
        {series.map((s) => (
          <g key={s.key}>
            <LinePath
              data={points}
              x={(p) => x(new Date(`${p.day}T00:00:00Z`))}
              y={(p) => y(value(p, s.key) ?? 0)}
              defined={(p) => value(p, s.key) !== null}
              className={`chart-line ${s.className}`}
            />
            {/* Dots make a lone day (no known value on either side, so no line through it) visible too. */}
            {points
              .filter(
                (p, i) =>
                  value(p, s.key) !== null &&
                  !(i > 0 && value(points[i - 1]!, s.key) !== null) &&
                  !(i < points.length - 1 && value(points[i + 1]!, s.key) !== null),
              )
              .map((p) => (
                <circle
                  key={p.day}
                  cx={x(new Date(`${p.day}T00:00:00Z`))}
                  cy={y(value(p, s.key)!)}
                  r={2.5}
                  className={`chart-dot ${s.className}`}
                />
              ))}
          </g>
        ))}
      </svg>
      <figcaption className="row">
        {series.map((s) => (
          <span key={s.key} className="chart-legend">
            <span className={`chart-swatch ${s.className}`} aria-hidden="true" /> {s.label}
          </span>
        ))}
      </figcaption>
      <details>
        <summary>Show the numbers</summary>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {series.map((s) => (
                  <th key={s.key} scope="col">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.day}>
                  <td>{p.day}</td>
                  {series.map((s) => (
                    <td key={s.key} data-series={s.key}>
                      {shown(value(p, s.key))}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

/** The lines the fleet and connector charts draw. */
export const FINDINGS_AND_LAG_SERIES: Series[] = [
  { key: "critical", label: "critical findings", className: "critical" },
  { key: "high", label: "high findings", className: "high" },
  { key: "vulnerable", label: "vulnerable watched packages", className: "vulnerable" },
  { key: "behind", label: "outdated watched packages", className: "behind" },
];
