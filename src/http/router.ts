import type { Route } from './deps.js';

export type Match =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'none' };

interface Compiled {
  route: Route;
  pattern: RegExp;
  names: string[];
}

/** Matches a method and path against routes with `:name` parts; literal routes are tried before patterns. */
export function createRouter(routes: readonly Route[]): (method: string, path: string) => Match {
  const compiled: Compiled[] = routes.map((route) => {
    const names: string[] = [];
    const source = route.path.split('/').map((part) => {
      if (!part.startsWith(':')) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(part.slice(1));
      return '([^/]+)';
    }).join('/');
    return { route, pattern: new RegExp(`^${source}/?$`), names };
  }).sort((a, b) => a.names.length - b.names.length);
  return (method, path) => {
    const allowed: string[] = [];
    for (const { route, pattern, names } of compiled) {
      const found = pattern.exec(path);
      if (!found) continue;
      if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) {
        allowed.push(route.method);
        continue;
      }
      let params: Record<string, string>;
      try {
        params = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1] ?? '')]));
      } catch {
        return { kind: 'none' };
      }
      return { kind: 'found', route, params };
    }
    return allowed.length > 0 ? { kind: 'wrong-method', allowed: [...new Set(allowed)] } : { kind: 'none' };
  };
}
