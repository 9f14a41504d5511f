import { useSearchParams } from 'react-router';

import { Search } from '../../features/catalogue/components/search';
import { useMessages } from '../../lib/i18n';
import { appMessages } from '../messages';

/** `/search?q=…`: loaded on demand, so the first page a reader opens does not pay for it. */
export function SearchPage() {
  const [params] = useSearchParams();
  const text = useMessages(appMessages).search;
  return (
    <>
      <title>{text.title(params.get('q') ?? '')}</title>
      <Search />
    </>
  );
}

export default SearchPage;
