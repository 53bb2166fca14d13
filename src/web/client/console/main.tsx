import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ConsoleApi, type ConsoleLabels, ConsoleSignedOut } from './console-api.ts';
import { SCREENS, screenAt } from './screens.tsx';
import './console.css';

/** The console's shell: a tab for each screen, the screen the address names. */
function Console({ labels, lang }: { labels: ConsoleLabels; lang: string }) {
  const [api] = useState(() => new ConsoleApi());
  const [state, setState] = useState<'loading' | 'ready' | 'signed-out' | string>('loading');
  const current = screenAt(location.pathname);
  const View = current.view;

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
        {SCREENS.map((s) => (
          <a
            key={s.tab}
            href={s.path ? `/app/console/${s.path}` : '/app/console'}
            aria-current={s === current ? 'page' : undefined}
            id={s.tab}
          >
            {s.label(labels)}
          </a>
        ))}
      </nav>
      {state === 'loading' ? (
        <p class="muted">{labels.loading}</p>
      ) : state === 'signed-out' ? (
        <p class="problem">{labels.signedOut}</p>
      ) : state !== 'ready' ? (
        <p class="problem">{labels.failed + state}</p>
      ) : (
        <View api={api} labels={labels} lang={lang} />
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
