import { buildWeb } from '../../scripts/build-web.ts';

// Vitest globalSetup: the panel's client built once before the suites start, as `npm start` builds it, so the server
// under test serves the same files a deployment does (test/web/panel*.test.ts load them in Chromium).
export default async function setup(): Promise<void> {
  await buildWeb();
}
