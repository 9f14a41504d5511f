/**
 * Every sentence the chatbot writes itself, in each answer language: the off-topic redirect, the offline composer's
 * lines ("no match", the introduction, reasons) and what the rules understood. Subject names are the catalogue's tag
 * names; the common ones have a Vietnamese name here, the others are shown as the catalogue spells them. Book
 * titles, authors and description sentences are catalogue data and are never translated.
 */
import { matchKey } from '../../catalogue/domain/names';
import type { AnswerLanguage, UnderstoodNote } from './chat';

export interface AnswerPhrases {
  /** The polite redirect of a request that is not about books. */
  readonly offTopic: string;
  /** The offline composer's answer when no book matches, in two chunks. */
  readonly noMatch: readonly [string, string];
  /** The first line of an offline answer; `understood` is already phrased ("" when nothing was understood). */
  intro(count: number, understood: readonly string[]): string;
  /** " by A, B" after a title. */
  by(authors: readonly string[]): string;
  pages(count: number): string;
  /** A reason when a book has neither subjects, length nor a usable description. */
  readonly fromCatalogue: string;
  /** A tag leaf ("Humor") in this language; lower case. */
  subject(leaf: string): string;
  note(note: UnderstoodNote): string;
}

/** Names of the languages the rules understand (ISO 639-2), in each answer language. */
const languageNames: Readonly<Record<string, Readonly<Record<AnswerLanguage, string>>>> = {
  eng: { en: 'English', vi: 'tiếng Anh' },
  vie: { en: 'Vietnamese', vi: 'tiếng Việt' },
  fra: { en: 'French', vi: 'tiếng Pháp' },
  spa: { en: 'Spanish', vi: 'tiếng Tây Ban Nha' },
  deu: { en: 'German', vi: 'tiếng Đức' },
  ita: { en: 'Italian', vi: 'tiếng Ý' },
  por: { en: 'Portuguese', vi: 'tiếng Bồ Đào Nha' },
};

/** Vietnamese names of common catalogue subjects, by the folded tag leaf. */
const vietnameseSubjects: Readonly<Record<string, string>> = {
  adventure: 'phiêu lưu',
  animals: 'động vật',
  biography: 'tiểu sử',
  classics: 'kinh điển',
  comedy: 'hài hước',
  comics: 'truyện tranh',
  crime: 'tội phạm',
  detective: 'trinh thám',
  'detective and mystery stories': 'trinh thám',
  drama: 'kịch',
  family: 'gia đình',
  fantasy: 'kỳ ảo',
  'fairy tales': 'cổ tích',
  fiction: 'hư cấu',
  friendship: 'tình bạn',
  'ghost stories': 'truyện ma',
  'historical fiction': 'tiểu thuyết lịch sử',
  history: 'lịch sử',
  horror: 'kinh dị',
  humor: 'hài hước',
  humour: 'hài hước',
  'love stories': 'truyện tình yêu',
  memoir: 'hồi ký',
  mystery: 'trinh thám',
  mythology: 'thần thoại',
  nonfiction: 'phi hư cấu',
  philosophy: 'triết học',
  plays: 'kịch',
  poetry: 'thơ',
  psychology: 'tâm lý',
  religion: 'tôn giáo',
  romance: 'lãng mạn',
  satire: 'trào phúng',
  science: 'khoa học',
  'science fiction': 'khoa học viễn tưởng',
  'short stories': 'truyện ngắn',
  'social criticism': 'phê phán xã hội',
  thriller: 'giật gân',
  travel: 'du lịch',
  'utopia and dystopia': 'không tưởng và phản địa đàng',
  war: 'chiến tranh',
  'young adult': 'tuổi mới lớn',
};

const english: AnswerPhrases = {
  offTopic:
    'I can only help you find books on the shelves of this library. Tell me what you would like to read: ' +
    'a subject, a mood, an author, a language or who it is for.',
  noMatch: [
    'I could not find a book on our shelves that fits all of that. ',
    'Try fewer conditions, or other words for the subject.',
  ],
  intro: (count, understood) => {
    const wanted = understood.length > 0 ? ` (${understood.join(', ')})` : '';
    return count === 1
      ? `Here is a book from our shelves${wanted}:\n`
      : `Here are ${count} books from our shelves${wanted}:\n`;
  },
  by: (authors) => (authors.length > 0 ? ` by ${authors.join(', ')}` : ''),
  pages: (count) => `${count} pages`,
  fromCatalogue: 'From our catalogue.',
  subject: (leaf) => leaf.toLowerCase(),
  note: (note) => {
    switch (note.kind) {
      case 'author':
        return `by ${note.name}`;
      case 'language':
        return `in ${languageNames[note.code]?.en ?? note.code}`;
      case 'age':
        return `for a ${note.age}-year-old`;
      case 'audience':
        return note.audience === 'children' ? 'for children' : 'for teenagers';
      case 'under-pages':
        return `under ${note.pages} pages`;
      case 'short':
        return `short (up to ${note.maxPages} pages)`;
      case 'long':
        return `long (${note.minPages} pages or more)`;
      case 'subjects':
        return `about ${note.names.join(' or ')}`;
      case 'up-to-pages':
        return `up to ${note.pages} pages`;
      case 'not-shown-before':
        return 'not the books shown before';
      case 'relaxed':
        return 'some earlier conditions relaxed to find a match';
    }
  },
};

const vietnamese: AnswerPhrases = {
  offTopic:
    'Tôi chỉ có thể giúp bạn tìm sách trên kệ của thư viện này. Hãy cho tôi biết bạn muốn đọc gì: ' +
    'một chủ đề, một tâm trạng, một tác giả, một ngôn ngữ hoặc sách dành cho ai.',
  noMatch: [
    'Tôi chưa tìm thấy cuốn sách nào trên kệ đáp ứng tất cả các điều kiện đó. ',
    'Bạn hãy thử bớt điều kiện, hoặc dùng từ khác để nói về chủ đề.',
  ],
  intro: (count, understood) => {
    const wanted = understood.length > 0 ? ` (${understood.join(', ')})` : '';
    return count === 1
      ? `Đây là một cuốn sách trên kệ của thư viện${wanted}:\n`
      : `Đây là ${count} cuốn sách trên kệ của thư viện${wanted}:\n`;
  },
  by: (authors) => (authors.length > 0 ? ` của ${authors.join(', ')}` : ''),
  pages: (count) => `${count} trang`,
  fromCatalogue: 'Từ danh mục của thư viện.',
  subject: (leaf) => vietnameseSubjects[matchKey(leaf)] ?? leaf.toLowerCase(),
  note: (note) => {
    switch (note.kind) {
      case 'author':
        return `của ${note.name}`;
      case 'language':
        return `bằng ${languageNames[note.code]?.vi ?? note.code}`;
      case 'age':
        return `cho bạn đọc ${note.age} tuổi`;
      case 'audience':
        return note.audience === 'children' ? 'cho thiếu nhi' : 'cho tuổi mới lớn';
      case 'under-pages':
        return `dưới ${note.pages} trang`;
      case 'short':
        return `ngắn (tối đa ${note.maxPages} trang)`;
      case 'long':
        return `dài (từ ${note.minPages} trang trở lên)`;
      case 'subjects':
        return `về ${note.names.map((name) => vietnamese.subject(name)).join(' hoặc ')}`;
      case 'up-to-pages':
        return `tối đa ${note.pages} trang`;
      case 'not-shown-before':
        return 'không phải những cuốn đã gợi ý';
      case 'relaxed':
        return 'đã nới bớt vài điều kiện trước đó để tìm được sách';
    }
  },
};

export const answerPhrases: Readonly<Record<AnswerLanguage, AnswerPhrases>> = { en: english, vi: vietnamese };

/** The phrases of `language`; English when the request named none. */
export const phrasesFor = (language: AnswerLanguage | undefined): AnswerPhrases => answerPhrases[language ?? 'en'];
