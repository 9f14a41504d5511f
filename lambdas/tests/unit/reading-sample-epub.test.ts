import { strFromU8, unzipSync } from 'fflate';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { sampleBook, writeEpub } from '@shelfwise/local/reading/sample-epub';
import { describe, expect, it } from 'vitest';

describe('writeEpub', () => {
  it('writes an EPUB 3 container: mimetype first and stored, then a package whose manifest files all exist', () => {
    // Prepare
    const book = sampleBook('Emma', { authors: ['Jane Austen'], chapters: 3 });

    // Act
    const bytes = writeEpub(book);
    const again = writeEpub(book);

    // Assess
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(view.getUint32(0, true)).toBe(0x04034b50);
    expect(view.getUint16(8, true)).toBe(0); // stored, not deflated
    expect(strFromU8(bytes.subarray(30, 38))).toBe('mimetype');
    expect(strFromU8(bytes.subarray(38, 58))).toBe('application/epub+zip');
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    const files = unzipSync(bytes);
    const xmlFiles = Object.entries(files).filter(([name]) => /\.(xml|opf|xhtml)$/.test(name));
    expect(xmlFiles.filter(([, content]) => XMLValidator.validate(strFromU8(content)) !== true)).toEqual([]);
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
    const container = parser.parse(strFromU8(files['META-INF/container.xml']!)) as {
      container: { rootfiles: { rootfile: { 'full-path': string } } };
    };
    const opfPath = container.container.rootfiles.rootfile['full-path'];
    const opf = parser.parse(strFromU8(files[opfPath]!)) as {
      package: {
        version: string;
        metadata: Record<string, unknown>;
        manifest: { item: { href: string; properties?: string }[] };
        spine: { itemref: unknown[] };
      };
    };
    expect(opf.package.version).toBe('3.0');
    expect(opf.package.metadata).toMatchObject({
      'dc:title': 'Emma',
      'dc:creator': 'Jane Austen',
      'dc:language': 'en',
    });
    const hrefs = opf.package.manifest.item.map((item) => `EPUB/${item.href}`);
    expect(hrefs.every((href) => href in files)).toBe(true);
    expect(opf.package.manifest.item.filter((item) => item.properties === 'nav')).toHaveLength(1);
    expect(opf.package.spine.itemref).toHaveLength(3);
    const chapter = strFromU8(files['EPUB/chapter-2.xhtml']!);
    expect(chapter).toContain('This is chapter 2 of Emma');
    expect(chapter.length).toBeGreaterThan(8000);
  });
});
