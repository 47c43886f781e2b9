-- Conversations that began between two days (UTC, YYYY-MM-DD, inclusive), with their recording
-- count. Parameters (in order): from_day, to_day.
SELECT
  org, year, month, day, hour,
  regexp_extract("$path", 'conversation_id=([^/]+)/', 1) AS conversation_id,
  count(*) AS recordings
FROM recording_sidecars
WHERE "$path" LIKE '%\_metadata.json' ESCAPE '\'
  AND concat(year, '-', month, '-', day) BETWEEN ? AND ?
GROUP BY org, year, month, day, hour, regexp_extract("$path", 'conversation_id=([^/]+)/', 1)
ORDER BY year, month, day, hour, conversation_id;
