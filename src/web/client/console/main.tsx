import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ConsoleApi, type ConsoleLabels, ConsoleSignedOut } from './console-api.ts';
import { CustomerList } from './customer-list.tsx';
import { PipelineBoard } from './pipeline-board.tsx';
import './console.css';

/** The console's shell: a tab for each screen, the screen the address names. */
function Console({ labels, lang }: { labels: ConsoleLabels; lang: string }) {
  const [api] = useState(() => new ConsoleApi());
  const [state, setState] = useState<'loading' | 'ready' | 'signed-out' | string>('loading');
  const board = location.pathname.replace(/\/$/, '').endsWith('/pipeline');

  useEffect(() => {
    api
      .start()
      .then(() => setState('ready'))
      .catch((e: unknown) =>
        setState(e instanceof ConsoleSignedOut ? 'signed-out' : e instanceof Error ? e.message : String(e)),
      );
  }, [api]);

  return (
    <>
      <nav class="tabs">
        <a href="/app/console" aria-current={board ? undefined : 'page'} id="tab-customers">
          {labels.customers}
        </a>
        <a href="/app/console/pipeline" aria-current={board ? 'page' : undefined} id="tab-pipeline">
          {labels.pipeline}
        </a>
      </nav>
      {state === 'loading' ? (
        <p class="muted">{labels.loading}</p>
      ) : state === 'signed-out' ? (
        <p class="problem">{labels.signedOut}</p>
      ) : state !== 'ready' ? (
        <p class="problem">{labels.failed + state}</p>
      ) : board ? (
        <PipelineBoard api={api} labels={labels} lang={lang} />
      ) : (
        <CustomerList api={api} labels={labels} lang={lang} />
      )}
    </>
  );
}

const root = document.getElementById('console');
if (root)
  render(
    <Console
      labels={JSON.parse(root.dataset.labels ?? '{}') as ConsoleLabels}
      lang={document.documentElement.lang || 'en'}
    />,
    root,
  );
