import { useParams } from 'react-router';

import { IngestRunDetail } from '../../features/librarian/components/ingest-run-detail';
import { IngestRuns } from '../../features/librarian/components/ingest-runs';
import { Insights } from '../../features/librarian/components/insights';
import { librarianMessages } from '../../features/librarian/messages';
import { useMessages } from '../../lib/i18n';

/**
 * `/librarian` (the ingest runs and the warehouse's insights) and `/librarian/ingest-runs/:runId` (one run's report); loaded on demand. Only
 * librarians see the link; anyone else who opens the URL gets the API's refusal.
 */
export function LibrarianPage() {
  const { runId } = useParams();
  const text = useMessages(librarianMessages);
  if (runId) return <IngestRunDetail key={runId} runId={runId} />;
  return (
    <>
      <title>{text.title}</title>
      <h1>{text.heading}</h1>
      <IngestRuns />
      <Insights />
    </>
  );
}

export default LibrarianPage;
