/** Numbers as a member reads them in an embed: durations, sizes, ages, shares. */

const SECOND = 1_000;

/** `0.4 ms`, `850 ms`, `4.2 s`, `42 s`, `4m 05s`, `3h 12m`, `2d 04h`; `-` when not a finite number. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs < 10) return `${sign}${trim(abs.toFixed(1))} ms`;
  if (abs < SECOND) return `${sign}${Math.round(abs)} ms`;
  if (abs < 10 * SECOND) return `${sign}${trim((abs / SECOND).toFixed(1))} s`;
  const s = Math.round(abs / SECOND);
  if (s < 60) return `${sign}${s} s`;
  if (s < 3600) return `${sign}${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  const m = Math.floor(s / 60);
  if (m < 24 * 60) return `${sign}${Math.floor(m / 60)}h ${pad(m % 60)}m`;
  const h = Math.floor(m / 60);
  return `${sign}${Math.floor(h / 24)}d ${pad(h % 24)}h`;
}

/** `512 B`, `1.5 KiB`, `12.3 MiB`, `180 MiB`, `1.2 GiB` (powers of 1024, three significant digits at most). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = unit === 0 || value >= 100 ? String(Math.round(value)) : trim(value.toFixed(value >= 10 ? 1 : 2));
  return `${bytes < 0 ? '-' : ''}${shown} ${units[unit]}`;
}

/** How long ago an ISO time was, seen at `now` (ms since the epoch): `12 s ago`, `in 5 s`, `just now`, `never`. */
export function formatAgo(iso: string | null, now: number): string {
  if (iso === null) return 'never';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return 'never';
  const seconds = Math.round((now - at) / SECOND);
  if (seconds === 0) return 'just now';
  const text = formatDuration(Math.abs(seconds) * SECOND);
  return seconds > 0 ? `${text} ago` : `in ${text}`;
}

/** A 0..1 ratio as a percentage: `99.2%`, `100%`. */
export function formatPercent(ratio: number): string {
  return Number.isFinite(ratio) ? `${trim((ratio * 100).toFixed(1))}%` : '-';
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function trim(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}
