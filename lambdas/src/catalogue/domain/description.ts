/**
 * Descriptions: Calibre's comments are untrusted HTML (or Markdown-ish text in the CSV export). They are sanitised
 * for display with an allow-list, and turned into plain text for search by sanitize-html with no tags allowed (block
 * ends become line breaks) and entity decoding (entities). html-to-text did the same at 13× the cost (2.2 s of the
 * 10,000-book library's 3.4 s of cleaning).
 */
import { decodeHTML } from 'entities';
import sanitizeHtml from 'sanitize-html';
import { repairMojibake } from './text-repair';

/** Longest description kept; longer ones are cut (and the ingest report says so). */
export const maxDescriptionChars = 20_000;
/** Input longer than this is not parsed at all (a gigantic or hostile comment). */
export const maxCommentsInputChars = 1_000_000;

const allowList: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'b',
    'strong',
    'i',
    'em',
    'u',
    'ul',
    'ol',
    'li',
    'blockquote',
    'h3',
    'h4',
    'a',
    'span',
    'div',
  ],
  // rel and target are set by the transform below, whatever the input says.
  allowedAttributes: { a: ['href', 'title', 'rel', 'target'] },
  allowedSchemes: ['http', 'https'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Drop the content of these entirely, not just the tags.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed'],
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener noreferrer', target: '_blank' }),
  },
};

export interface CleanDescription {
  readonly html: string | null;
  readonly text: string | null;
  /** Problems worth reporting (the description is still stored). */
  readonly warnings: readonly string[];
}

/** Comments that use HTML tags (not any text with angle brackets, such as "<two>"). */
const looksLikeHtml =
  /<\/?(p|br|div|span|b|i|em|strong|u|a|ul|ol|li|h[1-6]|blockquote|img|script|style|iframe|object|embed|table|tr|td|font|center|hr|sup|sub)\b[^>]*>/i;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const noTags: sanitizeHtml.IOptions = { allowedTags: [], allowedAttributes: {} };

/** Plain text of sanitised HTML: paragraphs separated by a blank line, line breaks kept, spaces collapsed. */
function htmlToText(html: string): string {
  const marked = html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/(p|div|li|h[1-6]|blockquote|ul|ol)>/gi, '$&\n\n');
  return decodeHTML(sanitizeHtml(marked, noTags))
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function cleanDescription(comments: string | null): CleanDescription {
  if (comments === null || comments.trim() === '') return { html: null, text: null, warnings: [] };
  const warnings: string[] = [];
  let input = comments;
  if (input.length > maxCommentsInputChars) {
    warnings.push(`description of ${input.length} characters was cut to ${maxCommentsInputChars} before cleaning`);
    input = input.slice(0, maxCommentsInputChars);
  }
  input = repairMojibake(input.normalize('NFC'));
  const source = looksLikeHtml.test(input)
    ? input
    : input
        .split(/\n{2,}|\r\n\r\n/)
        .map((paragraph) => `<p>${escapeHtml(paragraph.trim()).replace(/\n/g, '<br>')}</p>`)
        .join('');
  let html = sanitizeHtml(source, allowList).trim();
  if (/<script|\son\w+\s*=|javascript:/i.test(input)) warnings.push('unsafe HTML removed from the description');
  let text = htmlToText(html);
  if (text.length > maxDescriptionChars) {
    warnings.push(`description of ${text.length} characters was cut to ${maxDescriptionChars}`);
    text = text.slice(0, maxDescriptionChars);
    html = sanitizeHtml(`<p>${escapeHtml(text).replace(/\n\n/g, '</p><p>').replace(/\n/g, '<br>')}</p>`, allowList);
  }
  return { html: html === '' ? null : html, text: text === '' ? null : text, warnings };
}
