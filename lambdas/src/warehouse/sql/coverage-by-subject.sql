-- Catalogue coverage by subject: for each model version (served lists; `fallback` is one version) and subject (a tag
-- path of `dim_book`; a book counts once in each of its subjects), the books of the subject in the catalogue and not
-- withdrawn, how many of them the version recommended at least once, and that share.
WITH subject_books AS (
  SELECT b.book_id, s.subject
  FROM dim_book AS b
  CROSS JOIN UNNEST(b.subjects) AS s (subject)
  WHERE NOT b.withdrawn
),
models AS (
  SELECT DISTINCT model_version FROM recommendations_served
),
recommended AS (
  SELECT DISTINCT model_version, book_id FROM recommendations_served
)
SELECT
  m.model_version,
  sb.subject,
  COUNT(*) AS catalogue_books,
  COUNT(r.book_id) AS recommended_books,
  CAST(COUNT(r.book_id) AS DOUBLE) / COUNT(*) AS coverage
FROM models AS m
CROSS JOIN subject_books AS sb
LEFT JOIN recommended AS r ON r.model_version = m.model_version AND r.book_id = sb.book_id
GROUP BY m.model_version, sb.subject
ORDER BY m.model_version, sb.subject
