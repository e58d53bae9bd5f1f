import type { Route } from '../deps.js';

export const metricsRoutes: Route[] = [{
  method: 'GET', path: '/metrics',
  async handle(_request, deps) {
    return { status: 200, contentType: deps.metrics.contentType, body: await deps.metrics.scrape() };
  },
}];
