/**
 * The languages the filter offers, as ISO 639-2 codes (the codes calibre stores). The API has no languages endpoint
 * yet; when it gets one, load the list from there instead.
 */
export const FILTER_LANGUAGES = [
  'eng',
  'fra',
  'deu',
  'spa',
  'ita',
  'por',
  'nld',
  'rus',
  'ara',
  'zho',
  'jpn',
  'vie',
] as const;
