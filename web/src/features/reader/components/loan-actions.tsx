import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, useSyncExternalStore } from 'react';
import { Link } from 'react-router';

import { describeError } from '../../../components/query-status';
import { paths } from '../../../config/paths';
import { ApiError } from '../../../lib/api-client';
import { useApiClient } from '../../../lib/api-client-context';
import { formatDate, useLocale, useMessages } from '../../../lib/i18n';
import { sessionStore } from '../../../lib/session';
import { borrowBook, openLoanOf, placeHold, readerLoansKey, readerLoansQueryOptions, returnLoan } from '../api/loans';
import { readerMessages } from '../messages';
import '../reader.css';

/**
 * The e-book on a book's page: a signed-in reader borrows it (the loans API), then reads it ("Read" opens the
 * reader) or returns it; when no copy is free they can place a hold. Anonymous readers are asked to sign in, since
 * only accounts borrow.
 */
export function LoanActions({ bookId }: { bookId: string }) {
  const text = useMessages(readerMessages).loan;
  const session = useSyncExternalStore(sessionStore.subscribe, sessionStore.get);
  if (!session) {
    return (
      <p className="loan-actions">
        <Link to={paths.signIn.getHref()}>{text.signInToBorrow}</Link>
      </p>
    );
  }
  return <SignedInLoanActions bookId={bookId} readerId={session.sub} />;
}

function SignedInLoanActions({ bookId, readerId }: { bookId: string; readerId: string }) {
  const text = useMessages(readerMessages).loan;
  const { locale } = useLocale();
  const api = useApiClient();
  const queryClient = useQueryClient();
  const loans = useQuery(readerLoansQueryOptions(api, readerId));
  const [status, setStatus] = useState('');
  const [canHold, setCanHold] = useState(false);
  const loan = openLoanOf(loans.data, bookId);
  const refresh = () => queryClient.invalidateQueries({ queryKey: readerLoansKey(readerId) });
  const failed = (error: unknown) => {
    setCanHold(error instanceof ApiError && error.status === 409 && /hold/i.test(error.message));
    setStatus(`${text.failed}: ${describeError(error)}`);
  };

  const borrow = useMutation({
    mutationFn: () => borrowBook(api, readerId, bookId),
    onSuccess: async () => {
      setStatus(text.borrowedStatus);
      await refresh();
    },
    onError: failed,
  });
  const giveBack = useMutation({
    mutationFn: (loanId: string) => returnLoan(api, readerId, loanId),
    onSuccess: async () => {
      setStatus(text.returnedStatus);
      await refresh();
    },
    onError: failed,
  });
  const hold = useMutation({
    mutationFn: () => placeHold(api, readerId, bookId),
    onSuccess: async (placed) => {
      setCanHold(false);
      setStatus(text.holdPlaced(placed.position ?? 1));
      await refresh();
    },
    onError: failed,
  });

  return (
    <div className="loan-actions" role="group" aria-label={text.groupLabel}>
      {loan ? (
        <>
          <Link className="button" to={paths.reader.getHref(loan.id)}>
            {text.read}
          </Link>
          <button
            type="button"
            className="button button--secondary"
            aria-disabled={giveBack.isPending}
            onClick={() => !giveBack.isPending && giveBack.mutate(loan.id)}
          >
            {giveBack.isPending ? text.returning : text.returnBook}
          </button>
          <span className="loan-actions__due">{text.due(formatDate(loan.dueAt, locale))}</span>
        </>
      ) : (
        <>
          <button
            type="button"
            className="button"
            aria-disabled={borrow.isPending || loans.isPending}
            onClick={() => !borrow.isPending && !loans.isPending && borrow.mutate()}
          >
            {borrow.isPending ? text.borrowing : text.borrow}
          </button>
          {canHold && (
            <button type="button" className="button button--secondary" onClick={() => hold.mutate()}>
              {text.placeHold}
            </button>
          )}
        </>
      )}
      <p className="loan-actions__status" role="status">
        {status}
      </p>
    </div>
  );
}
