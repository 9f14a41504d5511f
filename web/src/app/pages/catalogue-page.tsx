import { Catalogue } from '../../features/catalogue/components/catalogue';
import { useMessages } from '../../lib/i18n';
import { appMessages } from '../messages';

export function CataloguePage() {
  const text = useMessages(appMessages).catalogue;
  return (
    <>
      <title>{text.title}</title>
      <Catalogue />
    </>
  );
}
