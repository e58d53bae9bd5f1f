import { renderDashboardMain } from './render.js';
import type { DashboardView } from './view.js';

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:12px;color:#1d1f24;background:#f6f7f9}
h1{font-size:20px;margin:0 0 8px}h2{font-size:16px;margin:16px 0 6px}
.ok{color:#137333}.bad{color:#b3261e}.checks{margin:0;padding-left:18px}
.figures,.charts,.grid{display:flex;flex-wrap:wrap;gap:10px}
.figure{background:#fff;border:1px solid #dde;border-radius:6px;padding:6px 12px;min-width:110px}
.figure .label{display:block;color:#555;font-size:12px}.figure .value{font-size:22px;font-weight:600}
.chart{background:#fff;border:1px solid #dde;border-radius:6px;margin:0;padding:6px}
.chart .line{fill:none;stroke:#1a73e8;stroke-width:1.5}.chart .axis{stroke:#ccc}.chart .scale{font-size:9px;fill:#777}
table{border-collapse:collapse;background:#fff;margin:4px 0;min-width:300px}caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border:1px solid #dde;padding:3px 8px;text-align:left;font-variant-numeric:tabular-nums}td.empty{color:#777}
.state.failed,.state.timed_out,.state.failing{color:#b3261e}.state.completed,.state.ok{color:#137333}.taken{color:#777;font-size:12px}
`;

/**
 * The refresh: every 2 s the page asks for the same view the server rendered first and swaps it in,
 * so there is one renderer (the server's) whether JavaScript runs or not. A failed fetch says so and
 * keeps the last figures.
 */
const SCRIPT = `
(() => {
  const main = document.getElementById('main');
  const status = document.getElementById('refresh');
  async function refresh() {
    try {
      const response = await fetch('/dashboard/main', { cache: 'no-store' });
      if (!response.ok) throw new Error('HTTP ' + response.status);
      main.innerHTML = await response.text();
      status.textContent = 'Refreshed every 2 s.';
    } catch (error) {
      status.textContent = 'Could not refresh (' + error.message + '): showing the last figures.';
    } finally {
      setTimeout(refresh, 2000);
    }
  }
  status.textContent = 'Refreshed every 2 s.';
  setTimeout(refresh, 2000);
})();
`;

/** The whole dashboard page: first view rendered here, so it reads without JavaScript. */
export function renderDashboardPage(view: DashboardView): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Deadside killfeed bot</title><style>${STYLE}</style></head>
<body><h1>Deadside killfeed bot</h1>
<p id="refresh" class="taken">Without JavaScript this page does not refresh: reload it for new figures.</p>
<main id="main">
${renderDashboardMain(view)}
</main>
<script>${SCRIPT}</script>
</body></html>`;
}
