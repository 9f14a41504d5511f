import { Outlet, createBrowserRouter } from 'react-router';

import { Layout } from '../components/layout';
import { RouteError } from '../components/route-error';
import { paths } from '../config/paths';
import { BookPage } from './pages/book-page';
import { CataloguePage } from './pages/catalogue-page';
import { HomePage } from './pages/home-page';
import { NotFoundPage } from './pages/not-found-page';

/** The one route table of the app. Add a page here and its URL helper in `config/paths.ts`. */
export function createRouter() {
  return createBrowserRouter([
    {
      element: (
        <Layout>
          <Outlet />
        </Layout>
      ),
      errorElement: <RouteError />,
      children: [
        { path: paths.home.path, element: <HomePage /> },
        { path: paths.catalogue.path, element: <CataloguePage /> },
        { path: paths.book.path, element: <BookPage /> },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ]);
}
