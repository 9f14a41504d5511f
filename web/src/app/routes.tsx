import { Suspense, lazy } from 'react';
import { Outlet, createBrowserRouter } from 'react-router';

import { Layout } from '../components/layout';
import { Loading } from '../components/query-status';
import { RouteError } from '../components/route-error';
import { paths } from '../config/paths';
import { AccountMenu } from '../features/auth/components/account-menu';
import { ChatLauncher } from '../features/chat/components/chat-launcher';
import { shelfRecord } from '../features/shelf/utils/shelf-record';
import { useMessages } from '../lib/i18n';
import { appMessages } from './messages';
import { BookPage } from './pages/book-page';
import { CataloguePage } from './pages/catalogue-page';
import { HomePage } from './pages/home-page';
import { NotFoundPage } from './pages/not-found-page';

// Pages a reader may never open are loaded on demand, to keep the first download small.
const SearchPage = lazy(() => import('./pages/search-page'));
const SeriesPage = lazy(() => import('./pages/series-page'));
const ShelfPage = lazy(() => import('./pages/shelf-page'));
const SignInPage = lazy(() => import('./pages/sign-in-page'));
const LibrarianPage = lazy(() => import('./pages/librarian-page'));
const ReaderPage = lazy(() => import('./pages/reader-page'));

function PageLoading() {
  return <Loading label={useMessages(appMessages).loadingPage} />;
}

/** The one route table of the app. Add a page here and its URL helper in `config/paths.ts`. */
export function createRouter() {
  return createBrowserRouter([
    {
      element: (
        <Layout
          tools={
            <>
              <ChatLauncher />
              <AccountMenu onMerged={shelfRecord.move} />
            </>
          }
        >
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </Layout>
      ),
      errorElement: <RouteError />,
      children: [
        { path: paths.home.path, element: <HomePage /> },
        { path: paths.catalogue.path, element: <CataloguePage /> },
        { path: paths.search.path, element: <SearchPage /> },
        { path: paths.book.path, element: <BookPage /> },
        { path: paths.series.path, element: <SeriesPage /> },
        { path: paths.shelf.path, element: <ShelfPage /> },
        { path: paths.signIn.path, element: <SignInPage /> },
        { path: paths.librarian.path, element: <LibrarianPage /> },
        { path: paths.ingestRun.path, element: <LibrarianPage /> },
        { path: paths.reader.path, element: <ReaderPage /> },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ]);
}
