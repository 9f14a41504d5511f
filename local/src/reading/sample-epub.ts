/**
 * EPUB 3 files made by the project, for tests and for the demo catalogue's readable books (no file is downloaded).
 *
 * `writeEpub` writes a valid EPUB 3 container with fflate: `mimetype` first and stored (not deflated), then
 * `META-INF/container.xml`, the package document (`EPUB/package.opf`: identifier, title, language, creator,
 * `dcterms:modified`, manifest and spine), the navigation document (`EPUB/nav.xhtml`), a style sheet and one XHTML
 * file per chapter. `sampleBook` makes chapters of generated prose (seeded, so the same inputs give the same bytes),
 * long enough that a chapter fills several screens in a reader.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';

export interface EpubChapter {
  readonly title: string;
  readonly paragraphs: readonly string[];
}

export interface EpubBook {
  /** A URN or URL, unique per book (`urn:uuid:…`). */
  readonly identifier: string;
  readonly title: string;
  readonly authors: readonly string[];
  /** BCP 47 (`en`, `vi`). */
  readonly language: string;
  readonly chapters: readonly EpubChapter[];
  /** ISO 8601 without fractions; fixed by default so the bytes do not change from run to run. */
  readonly modified?: string;
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A fixed date for every entry, so that the same book always gives the same bytes. */
const entryTime = new Date('2026-01-01T00:00:00Z');

function xhtml(language: string, title: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="${language}" xml:lang="${language}">
<head><meta charset="UTF-8"/><title>${escapeXml(title)}</title><link rel="stylesheet" type="text/css" href="style.css"/></head>
<body>
${body}
</body>
</html>
`;
}

const containerXml = `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
`;

const styleCss = `body { font-family: serif; line-height: 1.5; margin: 0 1em; }
h1 { font-size: 1.5em; margin: 1.5em 0 1em; }
p { text-indent: 1.5em; margin: 0 0 0.5em; }
`;

/** Writes the book as an EPUB 3 file (see the module's doc comment). */
export function writeEpub(book: EpubBook): Uint8Array {
  const { language } = book;
  const chapterFile = (index: number) => `chapter-${index + 1}.xhtml`;
  const modified = book.modified ?? '2026-01-01T00:00:00Z';
  const opf = `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="${language}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="book-id">${escapeXml(book.identifier)}</dc:identifier>
    <dc:title>${escapeXml(book.title)}</dc:title>
    <dc:language>${language}</dc:language>
${book.authors.map((author) => `    <dc:creator>${escapeXml(author)}</dc:creator>`).join('\n')}
    <meta property="dcterms:modified">${modified}</meta>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="style" href="style.css" media-type="text/css"/>
${book.chapters.map((_, index) => `    <item id="chapter-${index + 1}" href="${chapterFile(index)}" media-type="application/xhtml+xml"/>`).join('\n')}
  </manifest>
  <spine>
${book.chapters.map((_, index) => `    <itemref idref="chapter-${index + 1}"/>`).join('\n')}
  </spine>
</package>
`;
  const nav = xhtml(
    language,
    book.title,
    `<nav epub:type="toc" id="toc"><h1>${escapeXml(book.title)}</h1><ol>
${book.chapters.map((chapter, index) => `<li><a href="${chapterFile(index)}">${escapeXml(chapter.title)}</a></li>`).join('\n')}
</ol></nav>`,
  );
  const files: Zippable = {
    // First and stored: readers find the type at a fixed offset (EPUB OCF 3.3, 4.3).
    mimetype: [strToU8('application/epub+zip'), { level: 0 }],
    'META-INF/container.xml': strToU8(containerXml),
    'EPUB/package.opf': strToU8(opf),
    'EPUB/nav.xhtml': strToU8(nav),
    'EPUB/style.css': strToU8(styleCss),
  };
  book.chapters.forEach((chapter, index) => {
    const body = `<section epub:type="chapter"><h1>${escapeXml(chapter.title)}</h1>
${chapter.paragraphs.map((paragraph) => `<p>${escapeXml(paragraph)}</p>`).join('\n')}
</section>`;
    files[`EPUB/${chapterFile(index)}`] = strToU8(xhtml(language, chapter.title, body));
  });
  return zipSync(files, { level: 6, mtime: entryTime });
}

const words = (
  'the a river lamp morning letter garden window road evening quiet house old young light long small bright ' +
  'reader library page story voice friend winter summer rain wind city village journey door table book ' +
  'walked remembered opened found carried waited listened wrote read turned watched followed crossed kept ' +
  'slowly softly again together beyond under across before after near far still always never often'
).split(' ');

/** A small seeded generator (mulberry32), so that generated books are the same on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(text: string): number {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return hash >>> 0;
}

export interface SampleBookOptions {
  readonly identifier?: string;
  readonly authors?: readonly string[];
  readonly language?: string;
  /** @default 4 */
  readonly chapters?: number;
  /** Paragraphs per chapter. @default 24 */
  readonly paragraphs?: number;
}

/**
 * A book of generated prose under this title: each chapter opens with a line naming the book and chapter (so a
 * reader, or a test, can tell where it is), then paragraphs of seeded sentences.
 */
export function sampleBook(title: string, options: SampleBookOptions = {}): EpubBook {
  const random = seeded(seedOf(title));
  const pick = () => words[Math.floor(random() * words.length)]!;
  const sentence = () => {
    const length = 8 + Math.floor(random() * 10);
    const text = Array.from({ length }, pick).join(' ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  };
  const paragraph = () => Array.from({ length: 4 + Math.floor(random() * 3) }, sentence).join(' ');
  const chapters = Array.from({ length: options.chapters ?? 4 }, (_, index) => ({
    title: `Chapter ${index + 1}`,
    paragraphs: [
      `This is chapter ${index + 1} of ${title}, a sample edition made by Shelfwise for reading in the browser.`,
      ...Array.from({ length: options.paragraphs ?? 24 }, paragraph),
    ],
  }));
  return {
    identifier: options.identifier ?? `urn:shelfwise:sample:${seedOf(title).toString(16)}`,
    title,
    authors: options.authors ?? ['Shelfwise'],
    language: options.language ?? 'en',
    chapters,
  };
}
