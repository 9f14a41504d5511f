import { ApiError } from '../lib/api-client';
import { useMessages } from '../lib/i18n';
import { sharedMessages } from './messages';

/** A polite "loading" line that screen readers announce. */
export function Loading({ label }: { label: string }) {
  return (
    <p className="status" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

/** An error box with the reason and, when given, a button to try again. */
export function ErrorNotice({ title, error, onRetry }: { title: string; error: unknown; onRetry?: () => void }) {
  const text = useMessages(sharedMessages).status;
  return (
    <div className="notice notice--error" role="alert">
      <h2 className="notice__title">{title}</h2>
      <p>{describeError(error, text)}</p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          {text.tryAgain}
        </button>
      )}
    </div>
  );
}

/** What to tell the reader about `error`: the API's own message, or a translated generic one. */
export function describeError(error: unknown, text = sharedMessages.en.status): string {
  if (error instanceof ApiError) return error.status === 0 ? text.unreachable : error.message;
  return text.genericError;
}
