// `npm start` runs this first: the server as plain JavaScript in dist/ (about 0.2 s), then `node dist/server.mjs`.
import { bundleForNode } from './bundle-node.ts';

await bundleForNode({ server: 'src/entry/node.ts' }, 'dist');
