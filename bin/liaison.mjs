#!/usr/bin/env node
// The `liaison` command: runs src/entry/cli.ts through tsx (TypeScript without a build step), from any folder.
import { register } from 'tsx/esm/api';

register();
await import(new URL('../src/entry/cli.ts', import.meta.url).href);
