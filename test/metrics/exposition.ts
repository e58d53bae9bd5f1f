/**
 * A strict reader of Prometheus's text exposition format (version 0.0.4), for tests: every line
 * must be a HELP, a TYPE or a sample of a family declared before it, names and labels must be
 * well formed, histograms must have cumulative buckets ending in +Inf with _sum and _count, and no
 * series may appear twice. Throws naming the line otherwise.
 */
export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const seen = new Set<string>();
  if (!text.endsWith('\n')) throw new Error('The exposition must end with a newline.');
  text.slice(0, -1).split('\n').forEach((line, index) => {
    const where = `line ${index + 1} "${line}"`;
    if (line === '') return;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      const [, kind, name = '', rest = ''] = meta;
      if (!NAME.test(name)) throw new Error(`${where}: bad metric name`);
      const family = families.get(name) ?? { name, type: 'untyped' as const, help: '', samples: [] };
      if (kind === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) throw new Error(`${where}: bad type`);
        if (family.samples.length > 0) throw new Error(`${where}: TYPE after samples`);
        family.type = rest as Family['type'];
      } else family.help = rest;
      families.set(name, family);
      return;
    }
    if (line.startsWith('#')) return;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( -?\d+)?$/.exec(line);
    if (!sample) throw new Error(`${where}: not a sample`);
    const [, name = '', , labelText = '', rawValue = ''] = sample;
    const labels = parseLabels(labelText, where);
    // Prometheus reads values with Go's ParseFloat: Inf and NaN in any case (prom-client writes "Nan").
    if (!/^(-?\d+(\.\d+)?(e[+-]?\d+)?|[+-]?inf|nan)$/i.test(rawValue)) throw new Error(`${where}: bad value`);
    const value = /^[+]?inf$/i.test(rawValue) ? Infinity : /^-inf$/i.test(rawValue) ? -Infinity : /^nan$/i.test(rawValue) ? NaN : Number(rawValue);
    const family = familyOf(families, name);
    if (!family) throw new Error(`${where}: sample of a family with no TYPE`);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(key)) throw new Error(`${where}: series repeated`);
    seen.add(key);
    family.samples.push({ name, labels, value });
  });
  for (const family of families.values()) checkFamily(family);
  return families;
}

function parseLabels(text: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const m = /^([^=]+)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/.exec(rest);
    if (!m) throw new Error(`${where}: bad labels`);
    const [whole, name = '', value = ''] = m;
    if (!LABEL.test(name) || name in labels) throw new Error(`${where}: bad or repeated label ${name}`);
    labels[name] = value.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    rest = rest.slice(whole.length);
  }
  return labels;
}

function familyOf(families: Map<string, Family>, sample: string): Family | undefined {
  const direct = families.get(sample);
  if (direct) return direct;
  const base = sample.replace(/_(bucket|sum|count)$/, '');
  const family = families.get(base);
  return family && (family.type === 'histogram' || family.type === 'summary') ? family : undefined;
}

function checkFamily(family: Family): void {
  if (family.type === 'counter' && !family.name.endsWith('_total')) throw new Error(`counter ${family.name} does not end in _total`);
  if (family.type !== 'histogram') return;
  const series = new Map<string, { le: number; value: number }[]>();
  for (const s of family.samples) {
    if (s.name !== `${family.name}_bucket`) continue;
    const { le, ...rest } = s.labels;
    if (le === undefined) throw new Error(`${family.name}: bucket without le`);
    const key = JSON.stringify(Object.entries(rest).sort());
    series.set(key, [...(series.get(key) ?? []), { le: le === '+Inf' ? Infinity : Number(le), value: s.value }]);
  }
  for (const [key, buckets] of series) {
    if (buckets.at(-1)?.le !== Infinity) throw new Error(`${family.name} ${key}: no +Inf bucket`);
    buckets.reduce((previous, b) => {
      if (b.le <= previous.le || b.value < previous.value) throw new Error(`${family.name} ${key}: buckets not cumulative`);
      return b;
    }, { le: -Infinity, value: 0 });
    const count = family.samples.find((s) => s.name === `${family.name}_count` && JSON.stringify(Object.entries(s.labels).sort()) === key);
    const sum = family.samples.find((s) => s.name === `${family.name}_sum` && JSON.stringify(Object.entries(s.labels).sort()) === key);
    if (!count || !sum || count.value !== buckets.at(-1)?.value) throw new Error(`${family.name} ${key}: _count or _sum missing or not the +Inf bucket`);
  }
}

/** The value of one series, or undefined when absent. */
export function valueOf(families: Map<string, Family>, sample: string, labels: Record<string, string> = {}): number | undefined {
  const family = familyOf(families, sample);
  return family?.samples.find((s) => s.name === sample && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}
