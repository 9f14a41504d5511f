// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { Layout } from '../../src/components/layout';
import { LocaleProvider } from '../../src/lib/i18n';
import { ThemeProvider } from '../../src/lib/theme';
import { fakeApi, renderWithApp } from '../support/render-app';

function renderLayout() {
  return renderWithApp(
    <LocaleProvider initial="en">
      <ThemeProvider>
        <Layout>
          <p>Page</p>
        </Layout>
      </ThemeProvider>
    </LocaleProvider>,
    { fetch: fakeApi({}).fetch },
  );
}

describe('Layout', () => {
  beforeEach(() => {
    localStorage.clear();
    delete document.documentElement.dataset.theme;
  });
  afterEach(cleanup);

  it('switches the whole header to Vietnamese, remembers it and sets <html lang>', async () => {
    // Prepare
    renderLayout();
    const user = userEvent.setup();

    // Act
    await user.click(screen.getByRole('button', { name: 'Đổi sang tiếng Việt' }));

    // Assess
    expect(screen.getByRole('navigation', { name: 'Chính' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Danh mục' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Switch to English' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('vi');
    expect(localStorage.getItem('shelfwise.locale')).toBe('vi');
  });

  it('toggles the dark theme and remembers it', async () => {
    // Prepare
    renderLayout();
    const user = userEvent.setup();
    const toggle = screen.getByRole('button', { name: 'Dark theme' });

    // Act
    await user.click(toggle);

    // Assess
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem('shelfwise.theme')).toBe('dark');
  });

  it('sends the header search to the search page', async () => {
    // Prepare
    const { router } = renderLayout();
    const user = userEvent.setup();

    // Act
    await user.type(screen.getByRole('searchbox', { name: 'Search the catalogue' }), 'truyện kiều{Enter}');

    // Assess
    expect(router.state.location.pathname).toBe('/search');
    expect(new URLSearchParams(router.state.location.search).get('q')).toBe('truyện kiều');
  });
});
