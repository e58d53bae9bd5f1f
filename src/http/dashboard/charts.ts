import { escapeHtml } from './html.js';

const WIDTH = 320;
const HEIGHT = 80;

/**
 * A small line chart as inline SVG, drawn on the server: it reads without JavaScript and needs no
 * chart library. `points` are [ms since the epoch, value], oldest first.
 */
export function lineChart(title: string, unit: string, points: readonly (readonly [number, number])[]): string {
  const values = points.map(([, v]) => v);
  const latest = values.at(-1) ?? 0;
  const top = Math.max(1, ...values);
  const first = points[0]?.[0] ?? 0;
  const span = Math.max(1, (points.at(-1)?.[0] ?? 0) - first);
  const path = points.map(([at, v], i) => {
    const x = points.length === 1 ? WIDTH : ((at - first) / span) * WIDTH;
    const y = HEIGHT - (v / top) * (HEIGHT - 4) - 2;
    return `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
  }).join(' ');
  const minutes = Math.round(span / 60_000);
  const label = `${escapeHtml(title)}: ${formatValue(latest)} ${escapeHtml(unit)} now, at most ${formatValue(top)} over the last ${minutes < 1 ? 'minute' : `${minutes} min`}`;
  return `<figure class="chart"><figcaption>${escapeHtml(title)} <b>${formatValue(latest)}</b> ${escapeHtml(unit)}</figcaption>`
    + `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${label}" preserveAspectRatio="none">`
    + `<title>${label}</title><line x1="0" y1="${HEIGHT - 2}" x2="${WIDTH}" y2="${HEIGHT - 2}" class="axis"/>`
    + (path === '' ? '' : `<path d="${path}" class="line"/>`)
    + `<text x="2" y="10" class="scale">${formatValue(top)}</text></svg></figure>`;
}

function formatValue(n: number): string {
  return n >= 100 ? String(Math.round(n)) : String(Math.round(n * 10) / 10);
}
