import { useId } from 'react';

import { useLocale, useMessages } from '../../../lib/i18n';
import { languageName } from '../../../utils/book-format';
import { catalogueMessages } from '../messages';
import { FILTER_LANGUAGES } from '../utils/languages';

/** A select of languages, named in the reader's language; "" means every language. */
export function LanguageFilter({
  value,
  onChange,
}: {
  value: string | undefined;
  onChange: (language: string | undefined) => void;
}) {
  const id = useId();
  const { locale } = useLocale();
  const text = useMessages(catalogueMessages).languageFilter;
  // A language that came in through the URL but is not in the list is still offered, so the select shows it.
  const codes: readonly string[] =
    value && !FILTER_LANGUAGES.some((code) => code === value) ? [...FILTER_LANGUAGES, value] : FILTER_LANGUAGES;
  const options = codes
    .map((code) => ({ code, name: languageName(code, locale) }))
    .sort((left, right) => left.name.localeCompare(right.name, locale));

  return (
    <div className="field">
      <label htmlFor={id}>{text.label}</label>
      <select id={id} value={value ?? ''} onChange={(event) => onChange(event.target.value || undefined)}>
        <option value="">{text.all}</option>
        {options.map(({ code, name }) => (
          <option key={code} value={code}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}
