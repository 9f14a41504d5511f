/**
 * The one function that turns a book into the text that is embedded, so the chatbot's vectors and the recommender's
 * book vectors come from the same words. Order: title, authors, subjects, description (the most telling first, since
 * embedders weight or truncate long inputs).
 */
export interface BookTextFields {
  readonly title: string;
  readonly authors: readonly string[];
  readonly subjects: readonly string[];
  readonly description?: string | null;
}

/** Longest description kept, in characters (Titan v2 accepts 50,000 characters; longer blurbs add little). */
export const maxDescriptionChars = 2000;

export function bookText(book: BookTextFields): string {
  const parts = [clean(book.title)];
  const authors = book.authors.map(clean).filter(Boolean);
  if (authors.length > 0) parts.push(`By ${authors.join(', ')}`);
  const subjects = book.subjects.map(clean).filter(Boolean);
  if (subjects.length > 0) parts.push(`Subjects: ${subjects.join(', ')}`);
  const description = clean(book.description ?? '');
  if (description) parts.push(truncate(description, maxDescriptionChars));
  return parts
    .filter(Boolean)
    .map((part) => (/[.!?]$/.test(part) ? part : `${part}.`))
    .join(' ');
}

function clean(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars);
  const lastSpace = cut.lastIndexOf(' ');
  return (lastSpace > maxChars * 0.8 ? cut.slice(0, lastSpace) : cut).trimEnd();
}
