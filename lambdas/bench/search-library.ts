/**
 * The catalogues the search benchmark loads, as `CatalogueInput` (what `loadLibrary` takes):
 *
 * - goodbooks-10k (Zając 2017, CC BY-SA 4.0; ../shared/data/goodbooks-10k, read in place, never copied): titles,
 *   authors, years, languages and average ratings from `books.csv`; reader shelves from `book_tags.csv` + `tags.csv`
 *   mapped onto subjects and audiences (as training/src/data/goodbooks.ts maps them onto genres); descriptions from
 *   `descriptions.jsonl` where there is one (about 2,900 of the 10,000);
 * - a generated catalogue of any size: seeded, English and 3% Vietnamese titles and blurbs from a small vocabulary,
 *   1–4 subjects from the same list, audiences, page counts and ratings, with a long tail of authors.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { CatalogueInput } from '../src/catalogue/domain/catalogue-record';
import { seededRandom } from './generate-library';

/** Shelves that name an audience rather than a subject. */
const youngAdult = '@young-adult';
const children = '@children';

/** Subject (or audience) named by each reader shelf that names one; "to-read" or "owned" name none. */
const subjectOfShelf: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries({
    Fantasy: ['fantasy', 'urban-fantasy', 'epic-fantasy', 'high-fantasy', 'magic'],
    'Science fiction': ['science-fiction', 'sci-fi', 'scifi', 'dystopian', 'dystopia'],
    Romance: ['romance', 'contemporary-romance', 'paranormal-romance', 'chick-lit', 'historical-romance'],
    Mystery: ['mystery', 'mysteries', 'crime', 'detective', 'murder-mystery', 'crime-fiction'],
    Thriller: ['thriller', 'thrillers', 'suspense', 'mystery-thriller'],
    Horror: ['horror'],
    'Historical fiction': ['historical-fiction', 'historical'],
    Classics: ['classics', 'classic', 'classic-literature'],
    Biography: ['biography', 'memoir', 'memoirs', 'autobiography'],
    History: ['history', 'world-war-ii', 'ww2'],
    Philosophy: ['philosophy'],
    Religion: ['religion', 'christian', 'christianity', 'spirituality'],
    'Self-help': ['self-help', 'business', 'psychology', 'personal-development'],
    Poetry: ['poetry', 'poems'],
    'Graphic novels': ['graphic-novels', 'comics', 'manga', 'graphic-novel'],
    Humor: ['humor', 'humour', 'funny', 'comedy'],
    Science: ['science', 'popular-science'],
    'Non-fiction': ['non-fiction', 'nonfiction'],
    [youngAdult]: ['young-adult', 'ya', 'ya-fiction', 'teen', 'young-adult-fiction'],
    [children]: ['childrens', 'children', 'kids', 'middle-grade', 'children-s-books', 'juvenile'],
  }).flatMap(([subject, shelves]) => shelves.map((shelf) => [shelf, subject])),
);
const maxSubjects = 4;

/** goodbooks' language codes → ISO 639-2 as the catalogue stores them (unknown codes are left out). */
function languagesOf(code: string | undefined): string[] {
  if (!code) return [];
  if (code === 'en' || code.startsWith('en-')) return ['eng'];
  const renamed: Record<string, string> = { fre: 'fra', ger: 'deu', rum: 'ron', per: 'fas', nl: 'nld', mul: 'mul' };
  const iso = renamed[code] ?? code;
  return /^[a-z]{3}$/.test(iso) ? [iso] : [];
}

function input(
  fields: Partial<CatalogueInput> & Pick<CatalogueInput, 'sourceId' | 'title' | 'authors'>,
): CatalogueInput {
  return {
    titleSort: null,
    year: null,
    pubdate: null,
    languages: [],
    subjects: [],
    audience: null,
    pageCount: null,
    series: null,
    publisher: null,
    identifiers: [],
    rating: null,
    descriptionText: null,
    descriptionHtml: null,
    customColumns: {},
    formats: [],
    hasCover: false,
    lastModified: null,
    ...fields,
  };
}

/** The goodbooks-10k books, or null when the folder (../shared) is absent. */
export async function readGoodbooks(dir: string): Promise<CatalogueInput[] | null> {
  const booksCsv = path.join(dir, 'books.csv');
  if (!existsSync(booksCsv)) return null;
  const rows = parse(await readFile(booksCsv, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<
    string,
    string
  >[];
  const shelves = await readShelves(dir);
  const descriptions = await readDescriptions(path.join(dir, 'descriptions.jsonl'));
  return rows.flatMap((row) => {
    const title = (row.title || row.original_title || '').trim();
    const authors = (row.authors ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    if (!row.book_id || !title || authors.length === 0) return [];
    const named = shelves.get(row.goodreads_book_id ?? '') ?? [];
    const audience = named.includes(children) ? 'children' : named.includes(youngAdult) ? 'young-adult' : 'adult';
    const year = Number.parseInt(row.original_publication_year ?? '', 10);
    const rating = Number.parseFloat(row.average_rating ?? '');
    const description = descriptions.get(row.book_id) ?? null;
    return [
      input({
        sourceId: `goodbooks-${row.book_id}`,
        title,
        authors: authors.map((name) => ({ name, sort: null })),
        year: Number.isInteger(year) && Math.abs(year) <= 3000 ? year : null,
        languages: languagesOf(row.language_code),
        subjects: named.filter((subject) => !subject.startsWith('@')).slice(0, maxSubjects),
        audience,
        rating: Number.isFinite(rating) ? Math.max(0, Math.min(10, Math.round(rating * 2))) : null,
        descriptionText: description,
        identifiers: row.goodreads_book_id ? [{ type: 'goodreads', value: row.goodreads_book_id }] : [],
      }),
    ];
  });
}

/** Subjects and audiences per goodreads_book_id, most-shelved first. */
async function readShelves(dir: string): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  const tagsFile = path.join(dir, 'tags.csv');
  const bookTagsFile = path.join(dir, 'book_tags.csv');
  if (!existsSync(tagsFile) || !existsSync(bookTagsFile)) return result;
  const tagRows = parse(await readFile(tagsFile, 'utf8'), { columns: true }) as { tag_id: string; tag_name: string }[];
  const subjectOfTag = new Map<string, string>();
  for (const { tag_id: tagId, tag_name: name } of tagRows) {
    const subject = subjectOfShelf[name];
    if (subject) subjectOfTag.set(tagId, subject);
  }
  for (const line of (await readFile(bookTagsFile, 'utf8')).split('\n').slice(1)) {
    const [bookId, tagId] = line.split(',');
    const subject = subjectOfTag.get(tagId ?? '');
    if (!bookId || !subject) continue;
    const list = result.get(bookId) ?? [];
    if (!list.includes(subject)) list.push(subject);
    result.set(bookId, list);
  }
  return result;
}

async function readDescriptions(file: string): Promise<Map<string, string>> {
  const descriptions = new Map<string, string>();
  if (!existsSync(file)) return descriptions;
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    if (!line.trim()) continue;
    const record = JSON.parse(line) as { book_id?: number | string; description?: string };
    if (record.book_id !== undefined && record.description) {
      descriptions.set(String(record.book_id), record.description.slice(0, 4000));
    }
  }
  return descriptions;
}

const subjects = [
  'Fantasy',
  'Science fiction',
  'Romance',
  'Mystery',
  'Thriller',
  'Horror',
  'Historical fiction',
  'Classics',
  'Biography',
  'History',
  'Philosophy',
  'Poetry',
  'Humor',
  'Science',
  'Adventure',
  'Travel',
];
const englishWords = (
  'river city winter garden letters journey kitchen mountain harbour war dragon wizard castle island storm ' +
  'detective murder secret forest ocean empire star planet robot ghost family school love summer night shadow ' +
  'king queen village train desert memory lighthouse orchard clock mirror wolf raven sailor soldier painter'
).split(' ');
const vietnameseWords = (
  'dòng sông thành phố mùa đông khu vườn lá thư hành trình ngọn núi bến cảng chiến tranh rồng phù thủy lâu đài ' +
  'hòn đảo cơn bão thám tử bí mật khu rừng đại dương ngôi sao con ma gia đình trường học tình yêu mùa hè đêm'
).split(' ');

/** A generated catalogue of `count` books (seeded: the same count and seed give the same books). */
export function generatedCatalogue(count: number, seed = 20_260_101): CatalogueInput[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const authorCount = Math.max(10, Math.round(count / 4));
  return Array.from({ length: count }, (_, i) => {
    const vietnamese = random() < 0.03;
    const words = vietnamese ? vietnameseWords : englishWords;
    const chosen = [...new Set(Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(subjects)))];
    const title = Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(words)).join(' ');
    const blurb = Array.from({ length: 25 + Math.floor(random() * 60) }, () => pick(words)).join(' ');
    // A long tail: a few prolific authors, many with one book.
    const author = Math.floor(authorCount * random() ** 2);
    const roll = random();
    return input({
      sourceId: `generated-${i}`,
      title: title.charAt(0).toUpperCase() + title.slice(1),
      authors: [{ name: vietnamese ? `Tác giả ${author}` : `Author ${author}`, sort: null }],
      year: 1800 + Math.floor(random() * 225),
      languages: [vietnamese ? 'vie' : 'eng'],
      subjects: chosen,
      audience: roll < 0.15 ? 'children' : roll < 0.3 ? 'young-adult' : 'adult',
      pageCount: 60 + Math.floor(random() * 900),
      rating: Math.floor(random() * 11),
      descriptionText: `${blurb.charAt(0).toUpperCase()}${blurb.slice(1)}. A ${chosen.join(' and ').toLowerCase()} book.`,
    });
  });
}
