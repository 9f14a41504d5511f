import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './app/app';
import { ConfigErrorScreen } from './app/config-error-screen';
import { loadRuntimeConfig } from './config/runtime-config';
import { applyLocaleToDocument, initialLocale } from './lib/i18n';
import { applyTheme, storedTheme } from './lib/theme';
import './styles.css';

// Before anything renders, so that the page never flashes the wrong theme or announces the wrong language.
applyTheme(storedTheme());
applyLocaleToDocument(initialLocale());

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');
const root = createRoot(rootElement);

loadRuntimeConfig().then(
  (config) =>
    root.render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    ),
  (error: unknown) => {
    console.error(error);
    root.render(<ConfigErrorScreen error={error} />);
  },
);
