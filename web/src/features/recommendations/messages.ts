/**
 * Every text the recommendations feature shows, in one place per component, so that translations (English and
 * Vietnamese, issue 8) replace this file's values and nothing else.
 */
export const messages = {
  forYou: {
    heading: 'For you',
    intro: 'Picked from what you open, borrow and rate. It changes as you go.',
    loading: 'Loading your recommendations…',
    error: 'Your recommendations could not be loaded',
    empty: 'Nothing to recommend yet. Open a few books and come back.',
    updating: 'Updating your recommendations…',
    updated: 'Your recommendations were updated.',
  },
  reason: {
    becauseYouRead: (title: string) => `Because you read ${title}`,
    pickedForYou: 'Picked for you',
    like: (title: string) => `Like ${title}`,
    sameSeries: (title: string) => `In the same series as ${title}`,
    sameAuthor: (title: string) => `By the author of ${title}`,
    likeABookYouOpened: 'Like a book you opened',
    popular: 'Popular in the library',
  },
  similar: {
    heading: 'Similar books',
    loading: 'Loading similar books…',
    error: 'Similar books could not be loaded',
    empty: 'No similar books yet.',
  },
  actions: {
    groupLabel: 'What would you like to do with this book?',
    borrow: 'Borrow',
    borrowed: 'Borrowed',
    borrowedStatus: 'You borrowed this book. Enjoy reading!',
    wantToRead: 'Want to read',
    wantToReadDone: 'On your list',
    wantToReadStatus: 'Added to your “Want to read” list.',
    notInterested: 'Not interested',
    notInterestedDone: 'Not interested',
    notInterestedStatus: 'Got it: we will not recommend this book to you.',
    ratingLabel: 'Your rating',
    starLabel: (stars: number) => (stars === 1 ? '1 star' : `${stars} stars`),
    ratedStatus: (stars: number) => `You rated this book ${stars} out of 5.`,
  },
} as const;
