import { lookup } from 'node:dns/promises';
import type { HostResolver } from '../../adapters/robot-urls.ts';

const LOOKUP_TIMEOUT_MS = 5_000;

/**
 * Every address the system resolver gives for a name (what fetch connects to), within 5 s. Checked just before the
 * request: a name that changes its answer in between (DNS rebinding) is not caught, which only matters for a host an
 * admin allowed with ROBOT_HOSTS_ALLOW whose DNS an attacker controls.
 */
export const systemHostResolver: HostResolver = async (hostname) => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no DNS answer for ${hostname}`)), LOOKUP_TIMEOUT_MS);
    timer.unref();
  });
  try {
    const answers = await Promise.race([lookup(hostname, { all: true, verbatim: true }), timeout]);
    return answers.map((a) => a.address);
  } finally {
    clearTimeout(timer);
  }
};
