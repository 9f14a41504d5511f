/**
 * Repairs mojibake: UTF-8 text that was once decoded as Windows-1252 (or Latin-1), such as `CafÃ©` for `Café` or
 * `Sá»‘ Ä‘á»\u008f` for `Số đỏ`. The repair re-encodes the text to the single bytes it was wrongly read from and decodes
 * them as UTF-8; it is kept only when that decoding is valid and the text has fewer signs of mojibake than before,
 * so correct text (including correct Vietnamese and French) is never changed.
 */
import iconv from 'iconv-lite';

/** Characters that a UTF-8 lead byte becomes when read as Windows-1252: Ã Â Ä Å Æ á â ã ä å æ ç è é ê ë Ð Ñ Ø … */
const suspicious =
  /[\u00c2-\u00c6\u00d0\u00e1-\u00e8\u00f0][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]/g;

function mojibakeScore(text: string): number {
  return (text.match(suspicious) ?? []).length + (text.match(/\ufffd/g) ?? []).length;
}

/** The bytes `text` would have been decoded from as Windows-1252, or undefined if it cannot have been. */
function windows1252Bytes(text: string): Uint8Array | undefined {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x80 || (code >= 0x80 && code <= 0xff && !(code >= 0x80 && code <= 0x9f))) {
      bytes.push(code);
    } else if (code >= 0x80 && code <= 0x9f) {
      // C1 controls: bytes that Windows-1252 leaves undefined (0x81, 0x8d, 0x8f, 0x90, 0x9d) pass through as is.
      bytes.push(code);
    } else {
      const encoded = iconv.encode(char, 'win1252');
      if (encoded.length !== 1 || iconv.decode(encoded, 'win1252') !== char) return undefined;
      bytes.push(encoded[0] as number);
    }
  }
  return Uint8Array.from(bytes);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function repairMojibake(text: string): string {
  const before = mojibakeScore(text);
  if (before === 0) return text;
  const bytes = windows1252Bytes(text);
  if (!bytes) return text;
  let repaired: string;
  try {
    repaired = strictUtf8.decode(bytes);
  } catch {
    return text;
  }
  return mojibakeScore(repaired) < before ? repaired.normalize('NFC') : text;
}

/** Trims, collapses whitespace, repairs mojibake and normalises to NFC: the form every stored text field takes. */
export function cleanText(text: string): string {
  return (
    repairMojibake(text.normalize('NFC'))
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
      .replace(/\s+/g, ' ')
      .trim()
  );
}
