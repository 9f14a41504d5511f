import { describe, expect, it } from 'vitest';

import { answerBlocks, answerParts, citedIds } from '../../src/features/chat/utils/answer-text';

describe('answerParts', () => {
  it('splits an answer into text and citations', () => {
    expect(answerParts('- Dune by Frank Herbert [#12]: sand.\n- Emma [#7]')).toEqual([
      { kind: 'text', text: '- Dune by Frank Herbert ' },
      { kind: 'cite', bookId: '12' },
      { kind: 'text', text: ': sand.\n- Emma ' },
      { kind: 'cite', bookId: '7' },
    ]);
  });

  it('holds back a citation cut by the end of what has streamed so far', () => {
    expect(answerParts('Emma [#1', true)).toEqual([{ kind: 'text', text: 'Emma ' }]);
    expect(answerParts('Emma [', true)).toEqual([{ kind: 'text', text: 'Emma ' }]);
  });
});

describe('citedIds', () => {
  it('lists each cited id once, in order of appearance', () => {
    expect(citedIds('[#3] then [#1] and [#3] again')).toEqual(['3', '1']);
  });
});

describe('answerBlocks', () => {
  it('groups "- " lines into one list after the opening paragraph', () => {
    expect(answerBlocks('Here are 2 books:\n- Emma [#1]: wit.\n- Dune [#2]: sand.\n')).toEqual([
      { kind: 'paragraph', lines: ['Here are 2 books:'] },
      { kind: 'list', lines: ['Emma [#1]: wit.', 'Dune [#2]: sand.'] },
    ]);
  });
});
