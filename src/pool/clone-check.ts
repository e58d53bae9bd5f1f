/**
 * Finds a value structured clone would refuse (a function, a symbol, a class instance with methods
 * is fine but a function field is not). Checked in the worker before replying because a refused reply
 * kills the thread and reaches the main thread as an empty object, with no word on what went wrong.
 * Walks at most `budget` nodes: results are summaries, so that covers them; past it, trust the value.
 */
export function findUncloneable(value: unknown, budget = 100_000): string | null {
  const stack: { value: unknown; path: string }[] = [{ value, path: 'the result' }];
  const seen = new Set<object>();
  let visited = 0;
  while (stack.length > 0 && visited < budget) {
    const { value: current, path } = stack.pop() as { value: unknown; path: string };
    visited += 1;
    if (typeof current === 'function') return `a function at ${path}`;
    if (typeof current === 'symbol') return `a symbol at ${path}`;
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    if (ArrayBuffer.isView(current) || current instanceof ArrayBuffer || current instanceof Date || current instanceof RegExp) continue;
    if (Array.isArray(current)) {
      // Packed replies hold long arrays of strings: skip primitives without a stack entry or a path each.
      for (let i = 0; i < current.length; i += 1) {
        const item: unknown = current[i];
        if (item !== null && (typeof item === 'object' || typeof item === 'function' || typeof item === 'symbol')) stack.push({ value: item, path: `${path}[${i}]` });
      }
      visited += current.length;
    } else if (current instanceof Map) {
      for (const [k, v] of current) stack.push({ value: k, path: `${path} (map key)` }, { value: v, path: `${path}.get(${String(k)})` });
    } else if (current instanceof Set) {
      for (const v of current) stack.push({ value: v, path: `${path} (set item)` });
    } else {
      for (const key of Object.keys(current)) stack.push({ value: (current as Record<string, unknown>)[key], path: `${path}.${key}` });
    }
  }
  return null;
}
