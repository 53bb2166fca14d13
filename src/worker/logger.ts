import type { Logger } from '../core/ports/clock.ts';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/** One JSON line per entry on the console, which Workers Logs and `wrangler tail` collect (pino needs Node streams). */
export function consoleLogger(level: string): Logger {
  const threshold = level === 'silent' ? Number.POSITIVE_INFINITY : LEVELS.indexOf(level as never);
  const at = (name: (typeof LEVELS)[number], write: (line: string) => void) =>
    LEVELS.indexOf(name) < threshold
      ? () => {}
      : (fields: object, msg: string) =>
          write(JSON.stringify({ level: name, time: Date.now(), ...fields, msg }));
  return {
    debug: at('debug', (l) => console.debug(l)),
    info: at('info', (l) => console.info(l)),
    warn: at('warn', (l) => console.warn(l)),
    error: at('error', (l) => console.error(l)),
  };
}
