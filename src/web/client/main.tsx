import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Api, SignedOut } from './api.ts';
import { type ChatBridge, customerInAddress, telegramCustomer, wecomBridge } from './hosts.ts';
import { CustomerPanel } from './panel.tsx';
import { CustomerSearch } from './search.tsx';
import { ensureSession } from './sign-in.ts';
import type { Labels } from './types.ts';
import './panel.css';

type Opening =
  | { kind: 'loading' }
  | { kind: 'signed-out' }
  | { kind: 'customer'; id: number }
  | { kind: 'none' }
  | { kind: 'error'; message: string };

/** Which customer to open: the address's, the Mini App's start parameter, or the one being chatted with in WeCom. */
async function opening(api: Api, bridge: ChatBridge | null): Promise<Opening> {
  const id = customerInAddress() ?? telegramCustomer();
  if (id !== null) return { kind: 'customer', id };
  if (!bridge) return { kind: 'none' };
  const contact = await bridge.getCurExternalContact();
  const found = await api.get<{ customers: Array<{ id: number }> }>(
    `/app/api/lookup?wecom=${encodeURIComponent(contact.userId)}`,
  );
  const first = found.body.customers?.[0];
  return first ? { kind: 'customer', id: first.id } : { kind: 'none' };
}

function App({ labels }: { labels: Labels }) {
  const [api] = useState(() => new Api());
  const [bridge, setBridge] = useState<ChatBridge | null>(null);
  const [open, setOpen] = useState<Opening>({ kind: 'loading' });

  useEffect(() => {
    (async () => {
      await ensureSession(api);
      const b = await wecomBridge(api);
      setBridge(b);
      setOpen(await opening(api, b));
    })().catch((error: unknown) =>
      setOpen(
        error instanceof SignedOut
          ? { kind: 'signed-out' }
          : { kind: 'error', message: error instanceof Error ? error.message : String(error) },
      ),
    );
  }, [api]);

  if (open.kind === 'loading') return <p class="muted">{labels.loading}</p>;
  if (open.kind === 'signed-out') return <p class="problem">{labels.signedOut}</p>;
  if (open.kind === 'error') return <p class="problem">{labels.failed + open.message}</p>;
  if (open.kind === 'none')
    return <CustomerSearch api={api} labels={labels} onOpen={(id) => setOpen({ kind: 'customer', id })} />;
  return <CustomerPanel api={api} labels={labels} bridge={bridge} customerId={open.id} />;
}

const root = document.getElementById('panel');
if (root) render(<App labels={JSON.parse(root.dataset.labels ?? '{}') as Labels} />, root);
