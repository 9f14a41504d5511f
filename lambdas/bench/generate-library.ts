/**
 * Generates a Calibre-shaped `metadata.db` for the ingest benchmark with sql.js: seeded and deterministic (the same
 * seed and size give the same bytes), shaped like a real curated library rather than like the test fixtures:
 *
 * - authors drawn with a long tail (a few prolific authors, many with one book); about 20% of books have 2–10 authors
 *   (translators, illustrators, anthologies), and about 2% of authors also appear under a second spelling of their
 *   initials (`J.K. Rowling` / `J. K. Rowling`), which the ingest merges;
 * - about 35% of books in a series (index 1, 2, 3 … with the odd 1.5), 70% with 1–6 tags from a vocabulary of ~1,500
 *   (some hierarchical, `Fiction.Science Fiction`), 60% with a publisher, 85% rated, 40% with a `#pages` custom column;
 * - identifiers: `goodreads` for every book, an ISBN for 92% (ISBN-13 or ISBN-10 with valid check digits, 0.3% with a
 *   wrong check digit as real libraries have), `amazon` for 15%;
 * - HTML comments for 75% of books, 1–5 paragraphs (about 150–4,500 characters, mean about 1,000) with `<b>`, `<i>`,
 *   `<br/>`, entities, the odd link and, rarely, unsafe HTML (`<script>`, `onclick`) that the cleaner must strip;
 * - languages: mostly `eng`, 3% Vietnamese books with Vietnamese titles, authors and comments (a few stored decomposed,
 *   NFD, as macOS writes them), a few French, German, Spanish …; 8% with no language;
 * - 3% of books are a second edition of an earlier book (same title and first author, other ISBN and publisher);
 * - pubdates mostly `YYYY-01-01 12:00:00+00:00`, some full dates, 3% Calibre's "undefined" `0101-01-01`.
 *
 * The schema is Calibre 6's, reduced to the tables and columns the reader uses (as the tests' builder does), without
 * Calibre's triggers. The file is cached in the OS temp folder, keyed by size, seed and this file's own hash.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Statement } from 'sql.js';
import { loadSqlJs } from '../src/catalogue/calibre/read-metadata-db';

const SCHEMA = `
  CREATE TABLE books (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT, sort TEXT, timestamp TIMESTAMP,
    pubdate TIMESTAMP, series_index REAL NOT NULL DEFAULT 1.0, author_sort TEXT, isbn TEXT DEFAULT '',
    lccn TEXT DEFAULT '', path TEXT NOT NULL DEFAULT '', flags INTEGER NOT NULL DEFAULT 1, uuid TEXT,
    has_cover BOOL DEFAULT 0, last_modified TIMESTAMP NOT NULL DEFAULT '2000-01-01 00:00:00+00:00');
  CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL, sort TEXT, link TEXT NOT NULL DEFAULT '');
  CREATE TABLE books_authors_link (id INTEGER PRIMARY KEY, book INTEGER NOT NULL, author INTEGER NOT NULL);
  CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
  CREATE TABLE books_tags_link (id INTEGER PRIMARY KEY, book INTEGER NOT NULL, tag INTEGER NOT NULL);
  CREATE TABLE series (id INTEGER PRIMARY KEY, name TEXT NOT NULL, sort TEXT);
  CREATE TABLE books_series_link (id INTEGER PRIMARY KEY, book INTEGER NOT NULL, series INTEGER NOT NULL);
  CREATE TABLE publishers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, sort TEXT);
  CREATE TABLE books_publishers_link (id INTEGER PRIMARY KEY, book INTEGER NOT NULL, publisher INTEGER NOT NULL);
  CREATE TABLE ratings (id INTEGER PRIMARY KEY, rating INTEGER);
  CREATE TABLE books_ratings_link (id INTEGER PRIMARY KEY, book INTEGER NOT NULL, rating INTEGER NOT NULL);
  CREATE TABLE languages (id INTEGER PRIMARY KEY, lang_code TEXT NOT NULL);
  CREATE TABLE books_languages_link (id INTEGER PRIMARY KEY, book INTEGER NOT NULL, lang_code INTEGER NOT NULL,
    item_order INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE identifiers (id INTEGER PRIMARY KEY, book INTEGER NOT NULL, type TEXT NOT NULL DEFAULT 'isbn',
    val TEXT NOT NULL);
  CREATE TABLE comments (id INTEGER PRIMARY KEY, book INTEGER NOT NULL, text TEXT NOT NULL);
  CREATE TABLE data (id INTEGER PRIMARY KEY, book INTEGER NOT NULL, format TEXT NOT NULL,
    uncompressed_size INTEGER NOT NULL, name TEXT NOT NULL);
  CREATE TABLE custom_columns (id INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT NOT NULL, name TEXT NOT NULL,
    datatype TEXT NOT NULL, mark_for_delete BOOL DEFAULT 0 NOT NULL, editable BOOL DEFAULT 1 NOT NULL,
    display TEXT DEFAULT '{}' NOT NULL, is_multiple BOOL DEFAULT 0 NOT NULL, normalized BOOL NOT NULL);
  CREATE TABLE custom_column_1 (id INTEGER PRIMARY KEY AUTOINCREMENT, book INTEGER, value INTEGER NOT NULL);
  CREATE TABLE library_id (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL);
  CREATE TABLE preferences (id INTEGER PRIMARY KEY, key TEXT NOT NULL, val TEXT NOT NULL);
  INSERT INTO custom_columns (id, label, name, datatype, normalized) VALUES (1, 'pages', 'Pages', 'int', 0);
`;

/** mulberry32: small, fast, good enough for test data, and the same on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const EN_WORDS = (
  'time year people way day man thing woman life child world school state family student group country problem ' +
  'hand part place case week company system program question work government number night point home water room ' +
  'mother area money story fact month lot right study book eye job word business issue side kind head house ' +
  'service friend father power hour game line end member law car city community name president team minute idea ' +
  'kid body information back parent face others level office door health person art war history party result ' +
  'change morning reason research girl guy moment air teacher force education river garden ocean mountain forest ' +
  'island winter summer shadow silence memory secret letter promise journey dream stranger daughter son brother ' +
  'sister king queen kingdom empire crown sword fire ice storm wind star moon sun sky light darkness blood bone ' +
  'glass iron stone gold silver rose thorn wolf raven dragon ghost witch angel devil heart soul mind truth lie ' +
  'murder death love hope fear war peace road bridge tower castle village harbor station library museum'
).split(' ');
const EN_ADJECTIVES = (
  'little lost last hidden silent broken golden dark bright wild quiet secret strange ancient final first long ' +
  'forgotten burning frozen empty endless invisible scarlet crimson silver iron glass midnight summer winter ' +
  'perfect dangerous beautiful wicked gentle bitter sweet lonely distant hollow sacred savage curious'
).split(' ');
const EN_FILLER = (
  'the a of and to in that it with as for on was he she they his her at by from this but not be are have had ' +
  'one all when there their which will would about into after before over under between through during without ' +
  'again never always only even still every each both more most other such'
).split(' ');
const PLACES = (
  'Paris London Venice Rome Berlin Vienna Prague Lisbon Kyoto Tokyo Cairo Havana Dublin Boston Chicago Texas ' +
  'Alaska Provence Tuscany Shanghai Saigon Hanoi Mumbai Lagos Nairobi Oslo Reykjavik Patagonia Siberia Brooklyn'
).split(' ');
const FIRST_NAMES = (
  'James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard Susan Joseph ' +
  'Jessica Thomas Sarah Charles Karen Christopher Nancy Daniel Lisa Matthew Margaret Anthony Betty Mark Sandra ' +
  'Donald Ashley Steven Dorothy Paul Kimberly Andrew Emily Joshua Donna Kenneth Michelle Kevin Carol Brian Amanda ' +
  'George Melissa Edward Deborah Ronald Stephanie Timothy Rebecca Jason Laura Jeffrey Helen Ryan Sharon Jacob ' +
  'Cynthia Gary Kathleen Nicholas Amy Eric Shirley Jonathan Angela Stephen Anna Larry Ruth Justin Brenda Scott ' +
  'Pamela Brandon Nicole Frank Katherine Benjamin Virginia Gregory Catherine Samuel Christine Raymond Samantha ' +
  'Patrick Debra Alexander Janet Jack Rachel Dennis Carolyn Jerry Emma Tyler Maria Aaron Heather Henry Diane ' +
  'Jose Julie Douglas Joyce Peter Evelyn Adam Victoria Nathan Kelly Zachary Christina Walter Joan Kyle Lauren ' +
  'Harold Judith Carl Olivia Jeremy Martha Keith Cheryl Roger Megan Gerald Andrea Ethan Hannah Arthur Jacqueline ' +
  'Terry Ann Christian Gloria Sean Jean Lawrence Kathryn Austin Alice Joe Teresa Noah Sara Jesse Janice Albert ' +
  'Doris Bryan Madison Billy Julia Bruce Grace Willie Judy Jordan Abigail Dylan Marie Alan Denise Ralph Beverly ' +
  'Gabriel Amber Roy Theresa Juan Marilyn Wayne Danielle Eugene Diana Logan Brittany Randy Natalie Louis Sophia ' +
  'Haruki Gabriel Isabel Jorge Umberto Italo Orhan Chimamanda Fyodor Leo Anton Albert Franz Milan Gunter Elena ' +
  'François Amélie Zoë Søren Björn José Ramón Agnès Renée Hélène'
).split(' ');
const LAST_NAMES = (
  'Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson ' +
  'Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis ' +
  'Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera ' +
  'Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart ' +
  'Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim ' +
  'Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo ' +
  'Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell Coleman Butler ' +
  'Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton Graham Reynolds ' +
  'Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray Ford ' +
  'Castro Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman ' +
  "Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason O'Brien " +
  "O'Connor MacLeod McCarthy Dostoevsky Tolstoy Chekhov Murakami Ishiguro Márquez Pamuk Adichie Kafka Kundera " +
  'Grass Calvino Eco Saramago Allende Borges Müller Schäfer Dubois Lefèvre Brontë Dumas Hugo Zola Camus Sartre'
).split(' ');
const VI_FAMILY = 'Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý'.split(' ');
const VI_MIDDLE = 'Văn Thị Hữu Đức Minh Thanh Ngọc Quang Xuân Thu Trọng'.split(' ');
const VI_GIVEN = (
  'An Bình Cường Dũng Hà Hải Hương Lan Linh Long Mai Nam Phong Quang Sơn Thảo Trang Tuấn Việt Xuân Hoài Khải ' +
  'Nhật Tường Ánh Huệ Phụng Du'
).split(' ');
const VI_WORDS = (
  'những ngày thơ ấu mùa thu hà nội dòng sông kể chuyện nỗi buồn chiến tranh cánh đồng bất tận người mẹ quê ' +
  'hương ánh trăng biển xanh hoa vàng trên cỏ tuổi trẻ đêm giấc mơ làng phố cổ mưa gió bên kia núi rừng con ' +
  'đường tình yêu thương nhớ trái tim lặng lẽ số đỏ truyện kiều dế mèn phiêu lưu ký gia đình bé nhỏ'
).split(' ');
const TAG_ROOTS = (
  'fiction fantasy science-fiction mystery thriller romance historical-fiction horror classics poetry ' +
  'biography memoir history philosophy psychology science business self-help travel cooking art music ' +
  'young-adult children graphic-novels humor religion politics economics nature war crime adventure ' +
  'dystopian paranormal short-stories essays drama literary-fiction contemporary vietnamese-literature'
).split(' ');
const GENERIC_TAGS = (
  'book-club audiobook series re-read school library borrowed summer-reading made-me-cry could-not-finish ' +
  'favorite-authors signed e-book hardcover paperback 2019-reads 2020-reads 2021-reads 2022-reads 2023-reads ' +
  'translated british american russian french japanese german spanish nobel-prize pulitzer booker-prize'
).split(' ');
const PUBLISHER_WORDS = (
  'Penguin Random House Harper Collins Simon Schuster Macmillan Hachette Scholastic Vintage Anchor Bantam ' +
  'Doubleday Knopf Tor Orbit Faber Bloomsbury Picador Norton Little Brown Houghton Mifflin Viking Puffin ' +
  'Kim Đồng Trẻ Nhã Nam Văn Học Gallimard Suhrkamp Anagrama Oxford Cambridge Princeton Chicago'
).split(' ');
const PUBLISHER_SUFFIX = [
  'Books',
  'Press',
  'Publishing',
  'House',
  'Editions',
  '& Sons',
  'Classics',
  'University Press',
];
const LANGUAGES: readonly (readonly [string, number])[] = [
  ['eng', 0.86],
  ['vie', 0.03],
  ['fra', 0.012],
  ['deu', 0.008],
  ['spa', 0.006],
  ['ita', 0.003],
  ['jpn', 0.003],
  ['ara', 0.004],
  ['rus', 0.002],
  ['por', 0.002],
];

/** ISBN-10 check character for nine digits. */
function isbn10Check(nine: string): string {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (10 - i) * Number(nine[i]);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

/** ISBN-13 check digit for twelve digits. */
function isbn13Check(twelve: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (i % 2 === 0 ? 1 : 3) * Number(twelve[i]);
  return String((10 - (sum % 10)) % 10);
}

interface AuthorEntry {
  readonly name: string;
  readonly sort: string;
  /** A second spelling of the same person (initials spaced differently), used for some of their books. */
  readonly variant: string | null;
  readonly vietnamese: boolean;
}

interface Edition {
  readonly title: string;
  readonly authors: readonly number[];
  readonly vietnamese: boolean;
}

class Generator {
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  float(): number {
    return this.random();
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  /** An index in [0, n) skewed towards 0 (a long tail: a few popular items, many rare ones). */
  skewed(n: number, power = 2.2): number {
    return Math.min(n - 1, Math.floor(n * this.random() ** power));
  }

  digits(count: number): string {
    let text = '';
    for (let i = 0; i < count; i++) text += String(this.int(0, 9));
    return text;
  }

  uuid(): string {
    const hex = (count: number) => {
      let text = '';
      for (let i = 0; i < count; i++) text += '0123456789abcdef'[this.int(0, 15)];
      return text;
    };
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[this.int(0, 3)]}${hex(3)}-${hex(12)}`;
  }

  capitalise(word: string): string {
    return word.charAt(0).toUpperCase() + word.slice(1);
  }

  englishTitle(): string {
    const noun = () => this.capitalise(this.pick(EN_WORDS));
    const adjective = () => this.capitalise(this.pick(EN_ADJECTIVES));
    switch (this.int(0, 7)) {
      case 0:
        return `The ${adjective()} ${noun()}`;
      case 1:
        return `${noun()} of ${noun()}`;
      case 2:
        return `The ${noun()} of ${this.pick(PLACES)}`;
      case 3:
        return `A ${noun()} in ${this.pick(PLACES)}`;
      case 4:
        return `${adjective()} ${noun()}s`;
      case 5:
        return `The ${noun()}'s ${noun()}`;
      case 6:
        return `${noun()}: A ${adjective()} ${noun()}`;
      default:
        return `${adjective()} ${noun()}, ${adjective()} ${noun()}`;
    }
  }

  vietnameseTitle(): string {
    const words: string[] = [];
    const count = this.int(2, 5);
    for (let i = 0; i < count; i++) words.push(this.pick(VI_WORDS));
    return this.capitalise(words.join(' '));
  }

  author(): AuthorEntry {
    if (this.chance(0.03)) {
      const family = this.pick(VI_FAMILY);
      const given = `${this.pick(VI_MIDDLE)} ${this.pick(VI_GIVEN)}`;
      // Calibre's author_sort follows Western order even for Vietnamese names.
      return {
        name: `${family} ${given}`,
        sort: `${given.split(' ').at(-1)}, ${family} ${given.split(' ')[0]}`,
        variant: null,
        vietnamese: true,
      };
    }
    const last = this.pick(LAST_NAMES);
    if (this.chance(0.12)) {
      const a = this.pick(FIRST_NAMES).charAt(0);
      const b = this.pick(FIRST_NAMES).charAt(0);
      const name = `${a}.${b}. ${last}`;
      return {
        name,
        sort: `${last}, ${a}.${b}.`,
        variant: this.chance(0.15) ? `${a}. ${b}. ${last}` : null,
        vietnamese: false,
      };
    }
    const first = this.pick(FIRST_NAMES);
    const middle = this.chance(0.1) ? ` ${this.pick(FIRST_NAMES)}` : '';
    return { name: `${first}${middle} ${last}`, sort: `${last}, ${first}${middle}`, variant: null, vietnamese: false };
  }

  sentence(vietnamese: boolean): string {
    const length = this.int(8, 25);
    const words: string[] = [];
    for (let i = 0; i < length; i++) {
      words.push(vietnamese ? this.pick(VI_WORDS) : this.chance(0.45) ? this.pick(EN_FILLER) : this.pick(EN_WORDS));
    }
    const text = words.join(' ');
    return `${this.capitalise(text)}${this.pick(['.', '.', '.', '!', '?', '…'])}`;
  }

  /** An HTML comment as Calibre stores downloaded or pasted descriptions. */
  comments(title: string, vietnamese: boolean): string {
    const paragraphs: string[] = [];
    const count = this.skewed(5, 1.6) + 1;
    for (let p = 0; p < count; p++) {
      const sentences: string[] = [];
      const sentenceCount = this.int(2, 7);
      for (let s = 0; s < sentenceCount; s++) {
        let sentence = this.sentence(vietnamese);
        if (this.chance(0.08)) sentence = sentence.replace(' ', ` <i>${this.pick(EN_WORDS)}</i> `);
        if (this.chance(0.05)) sentence = sentence.replace(' and ', ' &amp; ');
        sentences.push(sentence);
      }
      let paragraph = sentences.join(' ');
      if (p === 0 && this.chance(0.3)) paragraph = `<b>${title}</b> ${paragraph}`;
      if (this.chance(0.1)) paragraph += '<br/>';
      paragraphs.push(`<p>${paragraph}</p>`);
    }
    if (this.chance(0.03))
      paragraphs.push('<p>From <a href="https://www.goodreads.com/">Goodreads</a> &amp; others.</p>');
    if (this.chance(0.002)) paragraphs.push('<p onclick="steal()">Click<script>alert(1)</script></p>');
    return `<div>${paragraphs.join('')}</div>`;
  }

  pubdate(): string {
    if (this.chance(0.03)) return '0101-01-01 00:00:00+00:00';
    const year = this.chance(0.8) ? 2024 - this.skewed(60, 1.5) : this.int(1600, 1970);
    if (this.chance(0.7)) return `${year}-01-01 12:00:00+00:00`;
    const month = String(this.int(1, 12)).padStart(2, '0');
    const day = String(this.int(1, 28)).padStart(2, '0');
    return `${year}-${month}-${day} 12:00:00+00:00`;
  }

  isbn(vietnamese: boolean): string {
    if (this.chance(0.4) && !vietnamese) {
      const nine = `0${this.digits(8)}`;
      const check = this.chance(0.003)
        ? String((Number(isbn10Check(nine).replace('X', '10')) + 1) % 10)
        : isbn10Check(nine);
      return `${nine}${check}`;
    }
    const twelve = vietnamese ? `978604${this.digits(6)}` : `9780${this.digits(8)}`;
    const check = this.chance(0.003) ? String((Number(isbn13Check(twelve)) + 1) % 10) : isbn13Check(twelve);
    return `${twelve}${check}`;
  }

  language(): string | null {
    let roll = this.random();
    for (const [code, share] of LANGUAGES) {
      if (roll < share) return code;
      roll -= share;
    }
    return null;
  }
}

/** ASCII folding as Calibre does for `books.path`. */
function asciiPath(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9 ._'-]/g, '_')
    .slice(0, 60);
}

export interface GeneratedLibrary {
  readonly file: string;
  readonly books: number;
  readonly bytes: number;
  /** Seconds spent generating (0 when the cached file was reused). */
  readonly seconds: number;
  readonly cached: boolean;
}

/** Builds the library in memory and returns the `metadata.db` bytes. */
export async function generateMetadataDb(books: number, seed: number): Promise<Uint8Array> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  const g = new Generator(seed);
  const statements: Statement[] = [];
  const prepare = (sql: string) => {
    const statement = db.prepare(sql);
    statements.push(statement);
    return statement;
  };
  try {
    db.exec(SCHEMA);
    db.exec(`INSERT INTO library_id (uuid) VALUES ('${g.uuid()}')`);
    db.exec('BEGIN');
    const insertBook = prepare(
      `INSERT INTO books (id, title, sort, timestamp, pubdate, series_index, author_sort, path, uuid, has_cover,
         last_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertAuthor = prepare('INSERT INTO authors (id, name, sort) VALUES (?, ?, ?)');
    const linkAuthor = prepare('INSERT INTO books_authors_link (book, author) VALUES (?, ?)');
    const insertTag = prepare('INSERT INTO tags (id, name) VALUES (?, ?)');
    const linkTag = prepare('INSERT INTO books_tags_link (book, tag) VALUES (?, ?)');
    const insertSeries = prepare('INSERT INTO series (id, name, sort) VALUES (?, ?, ?)');
    const linkSeries = prepare('INSERT INTO books_series_link (book, series) VALUES (?, ?)');
    const insertPublisher = prepare('INSERT INTO publishers (id, name, sort) VALUES (?, ?, ?)');
    const linkPublisher = prepare('INSERT INTO books_publishers_link (book, publisher) VALUES (?, ?)');
    const linkRating = prepare('INSERT INTO books_ratings_link (book, rating) VALUES (?, ?)');
    const linkLanguage = prepare('INSERT INTO books_languages_link (book, lang_code, item_order) VALUES (?, ?, 0)');
    const insertIdentifier = prepare('INSERT INTO identifiers (book, type, val) VALUES (?, ?, ?)');
    const insertComment = prepare('INSERT INTO comments (book, text) VALUES (?, ?)');
    const insertData = prepare('INSERT INTO data (book, format, uncompressed_size, name) VALUES (?, ?, ?, ?)');
    const insertPages = prepare('INSERT INTO custom_column_1 (book, value) VALUES (?, ?)');

    // Names tables: authors (and their variant spellings), tags, series, publishers, ratings, languages.
    const authors: AuthorEntry[] = [];
    const authorCount = Math.max(50, Math.round(books * 0.45));
    const authorIds = new Map<string, number>();
    const authorId = (name: string, sort: string): number => {
      let id = authorIds.get(name);
      if (id === undefined) {
        id = authorIds.size + 1;
        authorIds.set(name, id);
        insertAuthor.run([id, name, sort]);
      }
      return id;
    };
    while (authors.length < authorCount) authors.push(g.author());
    const vietnameseAuthors = authors.flatMap((author, index) => (author.vietnamese ? [index] : []));

    const tagNames = new Set<string>([...TAG_ROOTS, ...GENERIC_TAGS]);
    const tagTarget = Math.min(1500, 80 + Math.round(books / 20));
    while (tagNames.size < tagTarget) {
      const roll = g.float();
      if (roll < 0.15) tagNames.add(`Fiction.${g.capitalise(g.pick(TAG_ROOTS).replace(/-/g, ' '))}`);
      else if (roll < 0.55) tagNames.add(`${g.pick(TAG_ROOTS)}-${g.pick(EN_WORDS)}`);
      else tagNames.add(`${g.pick(EN_ADJECTIVES)}-${g.pick(EN_WORDS)}`);
    }
    const tags = [...tagNames];
    tags.forEach((name, index) => insertTag.run([index + 1, name]));

    const seriesCount = Math.max(10, Math.round(books * 0.06));
    const seriesNames = new Set<string>();
    while (seriesNames.size < seriesCount) {
      const base = g.chance(0.05) ? g.vietnameseTitle() : g.englishTitle().replace(/^The /, '');
      seriesNames.add(g.chance(0.5) ? base : `${base} ${g.pick(['Trilogy', 'Chronicles', 'Saga', 'Cycle', 'Series'])}`);
    }
    const series = [...seriesNames];
    series.forEach((name, index) => insertSeries.run([index + 1, name, name]));
    const seriesNext = new Map<number, number>();

    const publisherCount = Math.max(20, Math.min(3000, Math.round(books * 0.03)));
    const publisherNames = new Set<string>();
    while (publisherNames.size < publisherCount) {
      publisherNames.add(`${g.pick(PUBLISHER_WORDS)} ${g.pick(PUBLISHER_WORDS)} ${g.pick(PUBLISHER_SUFFIX)}`);
    }
    const publishers = [...publisherNames];
    publishers.forEach((name, index) => insertPublisher.run([index + 1, name, name]));

    for (let rating = 0; rating <= 10; rating++)
      db.run('INSERT INTO ratings (id, rating) VALUES (?, ?)', [rating + 1, rating]);
    LANGUAGES.forEach(([code], index) =>
      db.run('INSERT INTO languages (id, lang_code) VALUES (?, ?)', [index + 1, code]),
    );
    const languageId = new Map(LANGUAGES.map(([code], index) => [code, index + 1]));

    const editions: Edition[] = [];
    for (let id = 1; id <= books; id++) {
      const language = g.language();
      const vietnamese = language === 'vie';
      let edition: Edition;
      if (editions.length > 10 && g.chance(0.03)) {
        edition = g.pick(editions);
      } else {
        const bookAuthors = [
          vietnamese && vietnameseAuthors.length > 0
            ? (vietnameseAuthors[g.skewed(vietnameseAuthors.length, 1.5)] as number)
            : g.skewed(authors.length),
        ];
        if (g.chance(0.2)) {
          const extra = g.chance(0.8) ? 1 : g.int(2, 9);
          for (let i = 0; i < extra; i++) {
            const other = g.int(0, authors.length - 1);
            if (!bookAuthors.includes(other)) bookAuthors.push(other);
          }
        }
        edition = { title: vietnamese ? g.vietnameseTitle() : g.englishTitle(), authors: bookAuthors, vietnamese };
        editions.push(edition);
      }
      let title = edition.title;
      if (edition.vietnamese && g.chance(0.05)) title = title.normalize('NFD');
      const names = edition.authors.map((index) => authors[index] as AuthorEntry);
      const spelled = names.map((author) =>
        author.variant && g.chance(0.3) ? { name: author.variant, sort: author.sort } : author,
      );
      const firstAuthor = spelled[0] as { name: string; sort: string };
      const stamp = `2026-01-${String(1 + (id % 28)).padStart(2, '0')} 10:${String(id % 60).padStart(2, '0')}:00.${g.digits(6)}+00:00`;
      let seriesId: number | null = null;
      let seriesIndex = 1;
      if (g.chance(0.35)) {
        seriesId = g.skewed(series.length, 1.3) + 1;
        seriesIndex = (seriesNext.get(seriesId) ?? 0) + 1;
        seriesNext.set(seriesId, seriesIndex);
        if (g.chance(0.03)) seriesIndex += 0.5;
      }
      insertBook.run([
        id,
        title,
        title.replace(/^(The|A|An) (.*)$/, '$2, $1'),
        stamp,
        g.pubdate(),
        seriesIndex,
        spelled.map((author) => author.sort).join(' & '),
        `${asciiPath(firstAuthor.name)}/${asciiPath(title)} (${id})`,
        g.uuid(),
        g.chance(0.6) ? 1 : 0,
        stamp,
      ]);
      for (const author of spelled) linkAuthor.run([id, authorId(author.name, author.sort)]);
      if (seriesId !== null) linkSeries.run([id, seriesId]);
      if (g.chance(0.7)) {
        const count = g.int(1, 6);
        const chosen = new Set<number>();
        for (let i = 0; i < count; i++) chosen.add(g.skewed(tags.length, 2.5) + 1);
        if (edition.vietnamese) chosen.add(tags.indexOf('vietnamese-literature') + 1);
        for (const tag of chosen) linkTag.run([id, tag]);
      }
      if (g.chance(0.6)) linkPublisher.run([id, g.skewed(publishers.length, 1.8) + 1]);
      if (g.chance(0.85)) linkRating.run([id, g.pick([4, 6, 6, 7, 8, 8, 8, 9, 9, 10]) + 1]);
      if (language !== null) linkLanguage.run([id, languageId.get(language) as number]);
      insertIdentifier.run([id, 'goodreads', String(g.int(1, 60_000_000))]);
      if (g.chance(0.92)) insertIdentifier.run([id, 'isbn', g.isbn(edition.vietnamese)]);
      if (g.chance(0.15)) insertIdentifier.run([id, 'amazon', `B0${g.digits(8)}`]);
      if (g.chance(0.75)) insertComment.run([id, g.comments(title, edition.vietnamese)]);
      if (g.chance(0.5)) {
        const name = `${asciiPath(title)} - ${asciiPath(firstAuthor.name)}`;
        insertData.run([id, 'EPUB', g.int(200_000, 5_000_000), name]);
        if (g.chance(0.2)) insertData.run([id, g.pick(['PDF', 'MOBI', 'AZW3']), g.int(200_000, 9_000_000), name]);
      }
      if (g.chance(0.4)) insertPages.run([id, g.int(60, 1400)]);
    }
    db.exec('COMMIT');
    for (const statement of statements.splice(0)) statement.free();
    return db.export();
  } finally {
    for (const statement of statements) statement.free();
    db.close();
  }
}

/** Generates (or reuses from the OS temp folder) a library of `books` books; generation is never part of a measure. */
export async function generatedLibrary(books: number, seed = 20_260_101): Promise<GeneratedLibrary> {
  const source = await readFile(fileURLToPath(import.meta.url));
  const version = createHash('sha256').update(source).digest('hex').slice(0, 12);
  const folder = path.join(os.tmpdir(), 'shelfwise-bench');
  const file = path.join(folder, `generated-${books}-seed${seed}-${version}.db`);
  if (existsSync(file)) {
    const bytes = (await readFile(file)).byteLength;
    return { file, books, bytes, seconds: 0, cached: true };
  }
  await mkdir(folder, { recursive: true });
  const started = performance.now();
  const bytes = await generateMetadataDb(books, seed);
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, bytes);
  await rename(partial, file);
  return { file, books, bytes: bytes.byteLength, seconds: (performance.now() - started) / 1000, cached: false };
}
