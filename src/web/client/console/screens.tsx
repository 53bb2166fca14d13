import type { FunctionComponent } from 'preact';
import { AuditLog } from './audit-log.tsx';
import { Campaigns } from './campaigns.tsx';
import { ChannelCodes } from './channels.tsx';
import type { ConsoleApi, ConsoleLabels } from './console-api.ts';
import { CustomerList } from './customer-list.tsx';
import { DashboardView } from './dashboard.tsx';
import { ImportExport } from './import-export.tsx';
import { PipelineBoard } from './pipeline-board.tsx';
import { QuickReplies } from './quick-replies.tsx';
import { Segments } from './segments.tsx';
import { Sops } from './sops.tsx';
import { StaffTeams } from './staff.tsx';

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
  { path: 'dashboard', tab: 'tab-dashboard', label: (l) => l.dashboard.tab, view: DashboardView },
  { path: 'campaigns', tab: 'tab-campaigns', label: (l) => l.campaigns.tab, view: Campaigns },
  { path: 'sops', tab: 'tab-sops', label: (l) => l.sops.tab, view: Sops },
  { path: 'segments', tab: 'tab-segments', label: (l) => l.segments.tab, view: Segments },
  { path: 'channels', tab: 'tab-channels', label: (l) => l.channels.tab, view: ChannelCodes },
  { path: 'quick-replies', tab: 'tab-quick-replies', label: (l) => l.quickReplies.tab, view: QuickReplies },
  { path: 'import', tab: 'tab-import', label: (l) => l.import.tab, view: ImportExport },
  { path: 'staff', tab: 'tab-staff', label: (l) => l.staff.tab, view: StaffTeams },
  { path: 'audit', tab: 'tab-audit', label: (l) => l.audit.tab, view: AuditLog },
];

/** The screen an address names (the first when it names none). */
export function screenAt(pathname: string): Screen {
  const rest = pathname.replace(/\/+$/, '').replace(/^\/app\/console\/?/, '');
  const first = rest.split('/')[0] ?? '';
  return SCREENS.find((s) => s.path === first) ?? (SCREENS[0] as Screen);
}
