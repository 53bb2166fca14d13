import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleForNode } from '../../scripts/bundle-node.ts';
import { playgroundMessages } from '../../src/playground/messages.ts';
import { playgroundScript } from '../../src/playground/script.ts';

// The page's script is served from the source of real functions (playground-client*.ts): whatever compiled them must
// leave a script that stands alone in the browser. The browser test runs it as vitest compiles it; here, as
// `npm start` bundles it.
describe('the playground script', () => {
  const dir = mkdtempSync(join(tmpdir(), 'liaison-playground-script-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const standsAlone = (script: string) => {
    expect(() => new Function(script)).not.toThrow();
    expect(script).toContain(JSON.stringify(playgroundMessages.zh.bannerLead));
    expect(script).toContain('function playgroundView');
    expect(script).not.toMatch(/\bimport\b|\brequire\(|\bexports?\b/);
    // No compiler helper but `__name` (esbuild's keepNames, under tsx), for which it declares a stand-in.
    expect(script).not.toMatch(/\b(?!__name\b)__\w+\(/);
    expect(script).toMatch(/^'use strict';\nvar __name = function \(fn\) \{ return fn; \};\n/);
  };

  it('stands alone as served here', () => standsAlone(playgroundScript));

  it('stands alone as `npm start` bundles it', { timeout: 30_000 }, async () => {
    const entry = join(dir, 'entry.ts');
    const module = pathToFileURL(join(import.meta.dirname, '../../src/playground/script.ts')).href;
    writeFileSync(entry, `export { playgroundScript } from ${JSON.stringify(module)};\n`);
    await bundleForNode({ entry }, join(dir, 'dist'));
    const bundled = (await import(pathToFileURL(join(dir, 'dist', 'entry.mjs')).href)) as {
      playgroundScript: string;
    };
    standsAlone(bundled.playgroundScript);
  });
});
