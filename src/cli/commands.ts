import { backupCommand } from './backup.ts';
import type { CliCommand } from './command.ts';
import { demoCommand } from './demo.ts';
import { digestPreviewCommand } from './digest-preview.ts';
import { doctorCommand } from './doctor.ts';
import { exportCommand } from './export.ts';
import { importCommand } from './import.ts';
import { migrateCommand } from './migrate.ts';
import { customerCommand } from './privacy.ts';
import { staffCommand } from './staff.ts';
import { syncCommand } from './sync.ts';
import { telegramCommand } from './telegram.ts';

/** Every `liaison` subcommand, in the order `liaison help` lists them. Each lives in its own file in src/cli/. */
export const cliCommands: CliCommand[] = [
  migrateCommand,
  doctorCommand,
  backupCommand,
  staffCommand,
  telegramCommand,
  digestPreviewCommand,
  customerCommand,
  importCommand,
  exportCommand,
  syncCommand,
  demoCommand,
];
