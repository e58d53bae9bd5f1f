import type { Route } from '../deps.js';
import { html } from '../respond.js';
import { renderDashboardPage } from './page.js';
import { renderDashboardMain } from './render.js';
import { readDashboardView } from './view.js';

export const dashboardRoutes: Route[] = [
  { method: 'GET', path: '/', handle: async (_request, deps) => html(renderDashboardPage(await readDashboardView(deps))) },
  { method: 'GET', path: '/dashboard/main', handle: async (_request, deps) => html(renderDashboardMain(await readDashboardView(deps))) },
];
