/**
 * Rules that understand a reader's request without a language model: language, audience or age, length, subjects
 * (matched to the catalogue's tags), author ("by X"), follow-ups ("shorter", "in Vietnamese", "not that one"), and
 * whether the request is about books at all. Matching is on accent-folded, lower-case text.
 */
import { matchKey } from '../../catalogue/domain/names';
import type { Audience, ChatFilters, UnderstoodNote } from './chat';

export interface UnderstoodRequest {
  /** The words to search for, with the filter phrases taken out. */
  readonly text: string;
  readonly filters: ChatFilters;
  /** What was understood (an age, a language…), phrased later in the answer's language. */
  readonly understood: readonly UnderstoodNote[];
  /** The message only refines the previous request ("shorter", "in French", "not that one"). */
  readonly refinement: boolean;
  /** "not that one", "something else": exclude the books cited last time. */
  readonly excludeLast: boolean;
  /** "shorter": ask for fewer pages than last time. */
  readonly shorter: boolean;
  /** The request is about books (or a follow-up); otherwise the chatbot redirects politely. */
  readonly onTopic: boolean;
}

const languages: readonly { code: string; pattern: RegExp }[] = [
  { code: 'eng', pattern: /\b(english|in english|tieng anh|anglais)\b/ },
  { code: 'vie', pattern: /\b(vietnamese|viet nam|vietnam|tieng viet|vietnamien)\b/ },
  { code: 'fra', pattern: /\b(french|francais|france|tieng phap)\b/ },
  { code: 'spa', pattern: /\b(spanish|espanol|castellano|tieng tay ban nha)\b/ },
  { code: 'deu', pattern: /\b(german|deutsch|allemand|tieng duc)\b/ },
  { code: 'ita', pattern: /\b(italian|italiano|italien|tieng y)\b/ },
  { code: 'por', pattern: /\b(portuguese|portugues|portugais|tieng bo dao nha)\b/ },
];

/** Words that name a subject differently from the catalogue's tags. */
const subjectSynonyms: Readonly<Record<string, readonly string[]>> = {
  funny: ['humor', 'humour', 'comedy'],
  humorous: ['humor', 'humour', 'comedy'],
  hilarious: ['humor', 'humour', 'comedy'],
  comic: ['humor', 'humour', 'comedy'],
  magic: ['fantasy'],
  magical: ['fantasy'],
  scary: ['horror', 'gothic'],
  spooky: ['horror', 'gothic', 'ghost stories'],
  detective: ['mystery', 'detective and mystery stories', 'crime'],
  crime: ['crime', 'mystery'],
  love: ['romance'],
  romantic: ['romance'],
  space: ['science fiction'],
  scifi: ['science fiction'],
  poems: ['poetry'],
  poem: ['poetry'],
  tho: ['poetry'],
  myth: ['mythology'],
  legend: ['mythology'],
  dystopia: ['utopia and dystopia'],
  dystopian: ['utopia and dystopia'],
  utopia: ['utopia and dystopia'],
  'truyen cuoi': ['humor'],
  'hai huoc': ['humor'],
  'phieu luu': ['adventure'],
  'ky ao': ['fantasy'],
  'trinh tham': ['mystery', 'detective'],
  'vien tuong': ['science fiction'],
  'kinh di': ['horror', 'gothic'],
  'tinh yeu': ['romance'],
  'tinh cam': ['romance'],
  'trao phung': ['satire'],
  'truyen ngan': ['short stories'],
  'xa hoi': ['social criticism'],
  'gia dinh': ['family'],
  'tam ly': ['psychology'],
  'lich su': ['history'],
  'chien tranh': ['war'],
  'dong vat': ['animals'],
  'co tich': ['fairy tales'],
  'than thoai': ['mythology'],
  'triet hoc': ['philosophy'],
};

/** Words that name reading matter: a request with one is about books even if it also mentions the weather. */
const bookWords =
  /\b(books?|read|reading|reads|novels?|novellas?|story|stories|tale|tales|poems?|poetry|plays?|myths?|legends?|fables?|sagas?|fiction|sach|truyen|tieu thuyet|tho|tac pham|van hoc|livres?|roman|romans|lire|conte|contes)\b/;

/** Words that hint at books only weakly ("recommend a recipe" is not about books). */
const weakBookCues =
  /\b(author|writer|series|recommend|suggest|something|anything|classic|library|doc|tac gia|auteur)\b/;

const offTopicCues =
  /\b(weather|forecast|stock|stocks|bitcoin|crypto|price of|recipe|cook|football|score|javascript|python|code|sql query|homework|translate|password|capital of|lock|hack|thoi tiet|gia vang|gia xang|chung khoan|bong da|mat khau|nau an|cong thuc|bai tap|dich giup|dich sang)\b/;

/** Function words that carry no topic; dropped from the search text. */
const stopWords = new Set(
  (
    'a an and are as at be but by for from has have i in is it its me my of on or that the this to was with you your ' +
    'some something anything any book books read reading novel novels story stories recommend suggest please want ' +
    'would like looking give find good great nice one ones about can could should show get need new more other ' +
    'author authors writer kid kids child children year years old age aged teen teens teenager teenagers young adult adults short long ' +
    'pages page under over less than fewer shorter longer quick'
  ).split(' '),
);

function ageAudiences(age: number): Audience[] {
  if (age <= 8) return ['children'];
  if (age <= 12) return ['children', 'young-adult'];
  if (age <= 17) return ['young-adult'];
  return ['adult'];
}

/** The leaf of a tag path ("Fiction.Satire" → "satire"), folded. */
const tagLeaf = (path: string) => matchKey(path.split('.').at(-1) ?? path);

/** "stories" → "story", "tales" → "tale", "fairies" → "fairy": enough to match tag names. */
function singular(word: string): string {
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('s') && !word.endsWith('ss') && word.length > 3) return word.slice(0, -1);
  return word;
}

/** Understands one message. `tagPaths` are the catalogue's tags, for matching subject words. */
export function understandRequest(message: string, tagPaths: readonly string[]): UnderstoodRequest {
  let folded = ` ${matchKey(message)} `;
  const understood: UnderstoodNote[] = [];
  const filters: {
    languages?: string[];
    audiences?: Audience[];
    maxPages?: number;
    minPages?: number;
    tags?: string[];
    author?: string;
  } = {};
  const take = (pattern: RegExp) => {
    folded = folded.replace(pattern, ' ');
  };

  // Author: "by X" up to a clause boundary (taken first, so an author's name is not read as a subject).
  const authorMatch =
    /\b(?:by|written by|(?:sach|truyen|tho|tieu thuyet|tac pham)(?: ngan)? cua(?: tac gia)?|cua tac gia|de)\s+([\p{L}\p{N}]+(?:\s[\p{L}\p{N}]+){0,3}?)(?=\s+(?:in|for|under|that|with|about|which|and|or|please|thanks|thank you|bang|cho)\b|\s*$)/u.exec(
      folded,
    );
  const authorName = authorMatch?.[1]?.trim();
  if (authorMatch && authorName && !/^(a|an|the|some|someone|vietnamese|french|english)\b/.test(authorName)) {
    filters.author = authorName;
    understood.push({ kind: 'author', name: authorName });
    // Only the preposition and the name go: "tho cua X" keeps "tho" (poetry) as a subject.
    take(new RegExp(`\\b(?:by|written by|cua tac gia|cua|de)\\s+${authorName.replace(/\s+/g, '\\s+')}\\b`));
  }

  for (const language of languages) {
    if (language.pattern.test(folded)) {
      (filters.languages ??= []).push(language.code);
      understood.push({ kind: 'language', code: language.code });
      take(new RegExp(language.pattern.source, 'g'));
    }
  }

  const age =
    /\b(?:for an?|aged?|ages?)?\s*(\d{1,2})\s*(?:year|yr)s?\s*old\b|\bage[ds]?\s+(\d{1,2})\b|\b(\d{1,2})\s*tuoi\b/.exec(
      folded,
    );
  const ageValue = age ? Number(age[1] ?? age[2] ?? age[3]) : undefined;
  if (age && ageValue !== undefined && ageValue > 0) {
    filters.audiences = ageAudiences(ageValue);
    understood.push({ kind: 'age', age: ageValue });
    take(/\b(?:for an?\s+)?(?:aged?\s+|ages?\s+)?\d{1,2}\s*(?:(?:year|yr)s?\s*olds?|tuoi)\b|\bage[ds]?\s+\d{1,2}\b/g);
  } else if (/\b(kids?|children|child|tre em|thieu nhi|enfants?)\b/.test(folded)) {
    filters.audiences = ['children'];
    understood.push({ kind: 'audience', audience: 'children' });
  } else if (/\b(teens?|teenagers?|young adults?|ya|thieu nien|ados?)\b/.test(folded)) {
    filters.audiences = ['young-adult'];
    understood.push({ kind: 'audience', audience: 'young-adult' });
  }

  const pages = /\b(?:under|less than|fewer than|at most|below|duoi)\s+(\d{2,4})\s*(?:pages?|trang)\b/.exec(folded);
  if (pages?.[1]) {
    filters.maxPages = Number(pages[1]);
    understood.push({ kind: 'under-pages', pages: filters.maxPages });
    take(new RegExp(pages[0]));
  } else if (/\b(short|quick|ngan)\b/.test(folded.replace(/\bshort stor(y|ies)\b|\btruyen ngan\b/g, ' '))) {
    filters.maxPages = 200;
    understood.push({ kind: 'short', maxPages: filters.maxPages });
  } else if (/\b(long|doorstopper|epic length|dai)\b/.test(folded) && !/\blonger\b/.test(folded)) {
    filters.minPages = 400;
    understood.push({ kind: 'long', minPages: filters.minPages });
  }

  // Subjects: tag leaves named in the request (singular or plural), and synonyms of them.
  const tokens = folded.split(/\s+/).filter(Boolean);
  const phrases = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    for (let n = 1; n <= 3 && i + n <= tokens.length; n++) {
      const phrase = tokens.slice(i, i + n).join(' ');
      phrases.add(phrase);
      phrases.add(
        tokens
          .slice(i, i + n - 1)
          .concat(singular(tokens[i + n - 1] ?? ''))
          .join(' '),
      );
    }
  }
  const wanted = new Set<string>();
  for (const phrase of phrases) {
    if (stopWords.has(phrase)) continue;
    wanted.add(phrase);
    for (const synonym of subjectSynonyms[phrase] ?? []) wanted.add(synonym);
  }
  const tags = [
    ...new Set(tagPaths.filter((path) => wanted.has(tagLeaf(path)) || wanted.has(singular(tagLeaf(path))))),
  ];
  if (tags.length > 0) {
    filters.tags = tags;
    understood.push({ kind: 'subjects', names: tags.map((path) => path.split('.').at(-1) ?? path) });
  }

  const excludePattern =
    /\b(not (that|this) one|not those|not these|something else|another one|other ones?|already read|cuon khac|khong phai)\b/g;
  const excludeLast = new RegExp(excludePattern.source).test(folded);
  take(excludePattern);
  const shorterPattern = /\b(shorter|thinner|ngan hon|plus court)\b/g;
  const shorter = new RegExp(shorterPattern.source).test(folded);
  take(shorterPattern);
  const words = folded.split(/\s+/).filter((word) => word.length > 1 && !stopWords.has(word) && !/^\d+$/.test(word));
  // The matched tags' own names join the search words ("funny" → also "humor"), so both lists favour them.
  const tagWords = tags
    .flatMap((path) => tagLeaf(path).split(' '))
    .filter((word) => !words.includes(word) && !stopWords.has(word));
  const text = [...words, ...new Set(tagWords)].join(' ');
  const hasFilters = Object.keys(filters).length > 0;
  const refinement =
    excludeLast ||
    shorter ||
    (hasFilters &&
      text.split(' ').filter((word) => word && !/^(in|by|for|only|instead|then|what|about)$/.test(word)).length ===
        0) ||
    /^\s*(what about|how about|and|instead|only|more like)\b/.test(folded);
  // A word naming reading matter wins; otherwise an off-topic cue wins over filters and weak cues.
  const onTopic =
    bookWords.test(folded) ||
    (!offTopicCues.test(folded) && (hasFilters || refinement || weakBookCues.test(folded) || tags.length > 0));

  return {
    text,
    filters: {
      ...(filters.languages ? { languages: filters.languages } : {}),
      ...(filters.audiences ? { audiences: filters.audiences } : {}),
      ...(filters.maxPages !== undefined ? { maxPages: filters.maxPages } : {}),
      ...(filters.minPages !== undefined ? { minPages: filters.minPages } : {}),
      ...(filters.tags ? { tags: filters.tags } : {}),
      ...(filters.author ? { author: filters.author } : {}),
    },
    understood,
    refinement,
    excludeLast,
    shorter,
    onTopic,
  };
}
