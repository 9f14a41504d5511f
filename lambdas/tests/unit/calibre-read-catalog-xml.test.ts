import { describe, expect, it } from 'vitest';
import { readCatalogXml } from '../../src/catalogue/calibre/read-catalog-xml';
import { thrownBy, utf8, unreadableError } from '../support/calibre-library';

const gatsbyRecord = `
  <record>
    <id>5</id>
    <uuid>d35d41b2-5e49-47b4-bfcf-2399a0c46c97</uuid>
    <rating>4</rating>
    <isbn>0743273567</isbn>
    <identifiers>isbn:0743273567,goodreads:4671</identifiers>
    <title sort="Great Gatsby, The">The Great Gatsby</title>
    <authors sort="Fitzgerald, F. Scott &amp; Perkins, Maxwell">
      <author>F. Scott Fitzgerald</author>
      <author>Maxwell Perkins</author>
    </authors>
    <timestamp>2026-11-22T01:38:08+00:00</timestamp>
    <pubdate>1925-01-01T12:00:00+00:00</pubdate>
    <tags>
      <tag>classics</tag>
      <tag>Fiction.Classics</tag>
    </tags>
    <comments>&lt;p&gt;&lt;b&gt;The Great Gatsby&lt;/b&gt;, Fitzgerald&amp;#39;s third book &amp;amp; more.&lt;/p&gt;</comments>
    <series index="2.5">Jazz Age</series>
    <publisher>Scribner</publisher>
    <cover>/library/F. Scott Fitzgerald/The Great Gatsby (5)/cover.jpg</cover>
    <formats>
      <format>/library/F. Scott Fitzgerald/The Great Gatsby (5)/The Great Gatsby - F. Scott Fitzgerald.epub</format>
    </formats>
    <_shelf>Living room</_shelf>
    <_lent>None</_lent>
    <languages>eng,fra</languages>
    <library_name>sample-library</library_name>
  </record>`;

function catalog(records: string): Uint8Array {
  return utf8(`<?xml version='1.0' encoding='utf-8'?>\n<calibredb>${records}\n</calibredb>\n`);
}

describe('readCatalogXml', () => {
  it("reads a Calibre catalog XML record into a book, decoding XML's entities exactly once", () => {
    // Prepare
    const bytes = catalog(gatsbyRecord);

    // Act
    const library = readCatalogXml(bytes);

    // Assess
    expect(library.format).toBe('xml');
    expect(library.rejected).toEqual([]);
    expect(library.books).toEqual([
      {
        uuid: 'd35d41b2-5e49-47b4-bfcf-2399a0c46c97',
        calibreId: 5,
        title: 'The Great Gatsby',
        titleSort: 'Great Gatsby, The',
        authors: [
          { name: 'F. Scott Fitzgerald', sort: 'Fitzgerald, F. Scott' },
          { name: 'Maxwell Perkins', sort: 'Perkins, Maxwell' },
        ],
        series: { name: 'Jazz Age', index: 2.5 },
        tags: ['classics', 'Fiction.Classics'],
        publisher: 'Scribner',
        languages: ['eng', 'fra'],
        identifiers: { isbn: '0743273567', goodreads: '4671' },
        pubdate: '1925-01-01T12:00:00.000Z',
        rating: 8,
        comments: '<p><b>The Great Gatsby</b>, Fitzgerald&#39;s third book &amp; more.</p>',
        customColumns: { shelf: { datatype: 'text', value: 'Living room' } },
        formats: ['EPUB'],
        hasCover: true,
        lastModified: null,
        path: null,
      },
    ]);
  });

  it('rejects records without a title or uuid, keeping the others', () => {
    // Prepare
    const noTitle = gatsbyRecord.replace('<uuid>d35d41b2', '<uuid>aaaaaaaa').replace(/<title[^]*?<\/title>/, '');
    const noUuid = gatsbyRecord.replace(/<uuid>.*<\/uuid>/, '');
    const bytes = catalog(gatsbyRecord + noTitle + noUuid);

    // Act
    const library = readCatalogXml(bytes);

    // Assess
    expect(library.books).toHaveLength(1);
    expect(library.rejected).toEqual([
      { at: 'record 2', reason: 'missing title' },
      { at: 'record 3', reason: 'missing uuid' },
    ]);
  });

  it('refuses a DOCTYPE, so no external or custom entity is ever read', () => {
    // Prepare
    const bytes = utf8(
      '<?xml version="1.0"?><!DOCTYPE calibredb [<!ENTITY x SYSTEM "file:///etc/passwd">]><calibredb>&x;</calibredb>',
    );

    // Act
    const error = thrownBy(() => readCatalogXml(bytes));

    // Assess
    expect(error).toEqual(unreadableError(/DOCTYPE is refused/, 'xml'));
  });

  it('refuses a truncated file, XML that is not a Calibre catalog, and text that is not UTF-8', () => {
    // Prepare
    const whole = catalog(gatsbyRecord);
    const truncated = whole.slice(0, whole.length - 40);
    const otherXml = utf8('<?xml version="1.0"?><rss><channel/></rss>');
    const latin1 = Uint8Array.from(
      Buffer.from('<calibredb><record><title>Misérables</title></record></calibredb>', 'latin1'),
    );

    // Act
    const errors = [truncated, otherXml, latin1].map((bytes) => thrownBy(() => readCatalogXml(bytes)));

    // Assess
    expect(errors[0]).toEqual(unreadableError(/^not well-formed XML \(truncated\?\)/, 'xml'));
    expect(errors[1]).toEqual(unreadableError(/^XML but not a Calibre catalog: the root element is <rss>/, 'xml'));
    expect(errors[2]).toEqual(unreadableError(/^not UTF-8 text/, 'xml'));
  });
});
