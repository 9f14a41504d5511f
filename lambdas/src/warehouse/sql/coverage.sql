-- Catalogue coverage and popularity concentration of what each model version recommends (served lists; `fallback`
-- is one version): the share of the catalogue's books recommended at least once, and the Gini coefficient of how
-- often each catalogue book was recommended, books never recommended counting 0 (0: every book equally often;
-- towards 1: a few books take every slot). With counts sorted ascending x(1) <= … <= x(n):
-- gini = sum((2i - n - 1) * x(i)) / (n * sum(x)). The catalogue is `dim_book` plus any recommended book not in it.
WITH catalogue AS (
  SELECT book_id FROM dim_book
  UNION
  SELECT book_id FROM recommendations_served
),
models AS (
  SELECT DISTINCT model_version FROM recommendations_served
),
counts AS (
  SELECT model_version, book_id, COUNT(*) AS times
  FROM recommendations_served
  GROUP BY model_version, book_id
),
ranked AS (
  SELECT
    m.model_version,
    COALESCE(c.times, 0) AS times,
    row_number() OVER (PARTITION BY m.model_version ORDER BY COALESCE(c.times, 0), b.book_id) AS book_rank,
    COUNT(*) OVER (PARTITION BY m.model_version) AS books
  FROM models AS m
  CROSS JOIN catalogue AS b
  LEFT JOIN counts AS c ON c.model_version = m.model_version AND c.book_id = b.book_id
)
SELECT
  model_version,
  MAX(books) AS catalogue_books,
  CAST(SUM(CASE WHEN times > 0 THEN 1 ELSE 0 END) AS BIGINT) AS recommended_books,
  CAST(SUM(CASE WHEN times > 0 THEN 1 ELSE 0 END) AS DOUBLE) / MAX(books) AS coverage,
  CAST(SUM(times) AS BIGINT) AS recommendations,
  SUM(CAST(2 * book_rank - books - 1 AS DOUBLE) * times) / (MAX(books) * SUM(times)) AS gini
FROM ranked
GROUP BY model_version
ORDER BY model_version
