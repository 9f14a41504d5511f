-- Export `holdout`: the readers active in the held-out window (the last {{holdout_days}} days up to the newest
-- interaction, which no candidate is trained on) with their taste events, in time order. `part` says which side of
-- the cut a row is on: `input` rows (from {{history_days}} days back) are the history both models see, `target` rows
-- are what the reader did next. The evaluation (lambdas/src/pipelines/evaluate-models.ts) scores the candidate and
-- the serving model on exactly these rows.
WITH newest AS (
  SELECT MAX(occurred_at) AS at FROM interactions
),
taste AS (
  SELECT
    i.reader_id,
    i.book_id,
    COALESCE(i.rating, 0) AS rating,
    CASE
      WHEN i.event_type IN ('view', 'open', 'click') THEN 'view'
      WHEN i.event_type IN ('borrow', 'add-to-list') THEN 'borrow'
      ELSE i.event_type
    END AS event,
    CASE WHEN i.occurred_at > n.at - INTERVAL '{{holdout_days}}' DAY THEN 'target' ELSE 'input' END AS part,
    i.occurred_at,
    i.event_id
  FROM interactions AS i
  CROSS JOIN newest AS n
  WHERE i.book_id IS NOT NULL
    AND i.event_type IN ('view', 'open', 'click', 'borrow', 'add-to-list', 'finish', 'rate', 'dismiss')
    AND i.occurred_at > n.at - INTERVAL '{{history_days}}' DAY
)
SELECT t.reader_id AS user_id, t.book_id, t.rating, t.event, t.part
FROM taste AS t
WHERE t.reader_id IN (SELECT reader_id FROM taste WHERE part = 'target')
ORDER BY t.occurred_at, t.event_id
