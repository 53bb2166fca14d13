import type { FunctionComponent } from 'preact';
import type { ConsoleApi, ConsoleLabels } from './console-api.ts';
import { CustomerList } from './customer-list.tsx';
import { PipelineBoard } from './pipeline-board.tsx';

/** What every console screen is given: the signed-in API client, the console's words and the page's language. */
export interface ScreenProps {
  api: ConsoleApi;
  labels: ConsoleLabels;
  lang: string;
}

/** A screen of the console: its address under /app/console, its tab's id and label. */
export interface Screen {
  /** '' for the console's first screen; otherwise the last part of its address (`/app/console/<path>`). */
  path: string;
  tab: string;
  label: (labels: ConsoleLabels) => string;
  view: FunctionComponent<ScreenProps>;
}

/**
 * The console's screens, in tab order. A screen is one file under client/console, its JSON routes one file under
 * src/web/console (mounted in console-routes.ts), its words one catalogue under core/kernel/i18n.
 */
export const SCREENS: Screen[] = [
  { path: '', tab: 'tab-customers', label: (l) => l.customers, view: CustomerList },
  { path: 'pipeline', tab: 'tab-pipeline', label: (l) => l.pipeline, view: PipelineBoard },
];

/** The screen an address names (the first when it names none). */
export function screenAt(pathname: string): Screen {
  const rest = pathname.replace(/\/+$/, '').replace(/^\/app\/console\/?/, '');
  const first = rest.split('/')[0] ?? '';
  return SCREENS.find((s) => s.path === first) ?? (SCREENS[0] as Screen);
}
