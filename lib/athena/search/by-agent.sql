-- Recordings an agent (Genesys user id) took part in, between two days (YYYY-MM-DD, inclusive).
-- Parameters (in order): user_id, from_day, to_day.
SELECT
  org, year, month, day, hour,
  regexp_extract("$path", 'conversation_id=([^/]+)/', 1) AS conversation_id,
  regexp_extract("$path", '([^/]+)_metadata\.json$', 1) AS recording_id,
  mediatype, provider,
  "$path" AS sidecar
FROM recording_sidecars
WHERE "$path" LIKE '%\_metadata.json' ESCAPE '\'
  AND contains(userids, ?)
  AND concat(year, '-', month, '-', day) BETWEEN ? AND ?
ORDER BY year, month, day, hour, sidecar;
