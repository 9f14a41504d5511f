import { RUNTIME_CONFIG_PATH } from '../config/runtime-config';
import { initialLocale } from '../lib/i18n';
import { appMessages } from './messages';

/** Shown instead of the app when /config.json is missing or invalid: says what is wrong and how to fix it. */
export function ConfigErrorScreen({ error }: { error: unknown }) {
  const message = error instanceof Error ? error.message : String(error);
  // Rendered without the app's providers: the language comes straight from the stored choice.
  const text = appMessages[initialLocale()].configError;
  return (
    <main id="main" className="container site-main">
      <div className="notice notice--error" role="alert">
        <h1 className="notice__title">{text.heading}</h1>
        <p>{text.body}</p>
        <pre className="notice__detail">{message}</pre>
        <p>
          {text.fix(RUNTIME_CONFIG_PATH)} <code>{'{ "apiUrl": "/api" }'}</code>. {text.how}
        </p>
      </div>
    </main>
  );
}
