/**
 * Why the main thread ran late, on Linux: with `BENCH_EXPLAIN=1` a lateness bench also samples, at
 * every firing of a 5 ms timer of its own, each thread's time on a CPU and waiting for one
 * (`/proc/<pid>/task/<tid>/schedstat`) in this process and in the given others (the database
 * stand-in), and the main thread's GC; it then prints the worst windows. "main 12.0/15.3" reads:
 * the main thread ran 12.0 ms and waited 15.3 ms for a core in that window. Threads are labelled by
 * process, thread id and nice value (pool workers run at POOL_WORKER_NICE). Reading /proc costs
 * the main thread a little, so the bench's own figures come from runs without it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';

const LATE_MS = 15;

type Times = Map<string, [runNs: number, waitNs: number]>;

function sample(processes: readonly { pid: number; name: string }[]): Times {
  const times: Times = new Map();
  for (const { pid, name } of processes) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // the process has gone
    }
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const nice = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16];
        const [run = 0, wait = 0] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ').map(Number);
        times.set(Number(tid) === pid ? `${name} main` : `${name} ${tid} nice ${nice}`, [run, wait]);
      } catch {
        // the thread has gone
      }
    }
  }
  return times;
}

/** Starts sampling; `stop()` returns the worst windows, worst first, as lines to print. */
export function explainLateness(others: readonly { pid: number; name: string }[]): { stop(): string[] } {
  if (!existsSync('/proc/self/task')) return { stop: () => ['(BENCH_EXPLAIN needs Linux /proc)'] };
  const processes = [{ pid: process.pid, name: 'bot' }, ...others];
  const gcs: { start: number; end: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push({ start: e.startTime, end: e.startTime + e.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  const windows: { lateMs: number; line: string }[] = [];
  const started = performance.now();
  let last = sample(processes);
  let due = performance.now() + 5;
  let timer = setTimeout(function fire() {
    const now = performance.now();
    const times = sample(processes);
    if (now - due > LATE_MS) {
      const from = due - 5;
      const gcMs = gcs.filter((g) => g.start < now && g.end > from).reduce((sum, g) => sum + Math.min(g.end, now) - Math.max(g.start, from), 0);
      const threads: string[] = [];
      for (const [label, [run, wait]] of times) {
        const [run0 = 0, wait0 = 0] = last.get(label) ?? [];
        const runMs = (run - run0) / 1e6;
        const waitMs = (wait - wait0) / 1e6;
        if (runMs >= 1 || waitMs >= 3) threads.push(`${label} ${runMs.toFixed(1)}/${waitMs.toFixed(1)}`);
      }
      windows.push({ lateMs: now - due, line: `late ${(now - due).toFixed(1)} ms at ${(from - started).toFixed(0)} ms, main-thread GC ${gcMs.toFixed(1)} ms: ${threads.join(' | ')}` });
    }
    last = times;
    due = now + 5;
    timer = setTimeout(fire, 5);
  }, 5);
  return {
    stop() {
      clearTimeout(timer);
      observer.disconnect();
      return windows.sort((a, b) => b.lateMs - a.lateMs).slice(0, 5).map((w) => w.line);
    },
  };
}
