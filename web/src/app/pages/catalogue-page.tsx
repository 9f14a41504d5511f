import { Catalogue } from '../../features/catalogue/components/catalogue';

export function CataloguePage() {
  return (
    <>
      <title>Catalogue · Shelfwise</title>
      <Catalogue />
    </>
  );
}
