import { RUNTIME_CONFIG_PATH } from '../config/runtime-config';

/** Shown instead of the app when /config.json is missing or invalid: says what is wrong and how to fix it. */
export function ConfigErrorScreen({ error }: { error: unknown }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <main id="main" className="container site-main">
      <div className="notice notice--error" role="alert">
        <h1 className="notice__title">Shelfwise cannot start</h1>
        <p>The app could not read its configuration.</p>
        <pre className="notice__detail">{message}</pre>
        <p>
          The site must serve <code>{RUNTIME_CONFIG_PATH}</code> next to <code>index.html</code>, for example{' '}
          <code>{'{ "apiUrl": "/api" }'}</code>. Locally, <code>npm start</code> writes it; in AWS, the CDK app deploys
          it.
        </p>
      </div>
    </main>
  );
}
