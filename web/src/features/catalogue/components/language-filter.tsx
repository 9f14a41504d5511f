import { useId } from 'react';

import { languageName } from '../../../utils/book-format';
import { FILTER_LANGUAGES } from '../utils/languages';

/** A select of languages; "" means every language. */
export function LanguageFilter({
  value,
  onChange,
}: {
  value: string | undefined;
  onChange: (language: string | undefined) => void;
}) {
  const id = useId();
  // A language that came in through the URL but is not in the list is still offered, so the select shows it.
  const codes: readonly string[] =
    value && !FILTER_LANGUAGES.some((code) => code === value) ? [...FILTER_LANGUAGES, value] : FILTER_LANGUAGES;
  const options = codes
    .map((code) => ({ code, name: languageName(code) }))
    .sort((left, right) => left.name.localeCompare(right.name, 'en'));

  return (
    <div className="field">
      <label htmlFor={id}>Language</label>
      <select id={id} value={value ?? ''} onChange={(event) => onChange(event.target.value || undefined)}>
        <option value="">All languages</option>
        {options.map(({ code, name }) => (
          <option key={code} value={code}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
}
