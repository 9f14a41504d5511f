-- Training export `train`: the interactions of the {{window_days}} days before the held-out window (the last
-- {{holdout_days}} days up to the newest interaction, so a test's or a backfill's data has a window and the cloud's
-- is "now"), as the training job's interactions CSV (goodbooks layout with an `event` column), in time order. The
-- held-out window is never trained on: `training-holdout.sql` exports it to compare the candidate with the serving
-- model. Events map to the model's vocabulary as
-- recommendations/domain/reader-event.ts `historyEventType` maps them; events that say nothing of taste are left out.
WITH newest AS (
  SELECT MAX(occurred_at) AS at FROM interactions
)
SELECT
  i.reader_id AS user_id,
  i.book_id,
  COALESCE(i.rating, 0) AS rating,
  CASE
    WHEN i.event_type IN ('view', 'open', 'click') THEN 'view'
    WHEN i.event_type IN ('borrow', 'add-to-list') THEN 'borrow'
    ELSE i.event_type
  END AS event
FROM interactions AS i
CROSS JOIN newest AS n
WHERE i.book_id IS NOT NULL
  AND i.event_type IN ('view', 'open', 'click', 'borrow', 'add-to-list', 'finish', 'rate', 'dismiss')
  AND i.occurred_at > n.at - INTERVAL '{{holdout_days}}' DAY - INTERVAL '{{window_days}}' DAY
  AND i.occurred_at <= n.at - INTERVAL '{{holdout_days}}' DAY
ORDER BY i.occurred_at, i.event_id
