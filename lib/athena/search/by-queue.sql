-- Recordings of conversations routed through a queue (Genesys queue id), between two days
-- (YYYY-MM-DD, inclusive). Parameters (in order): queue_id, from_day, to_day.
SELECT
  org, year, month, day, hour,
  regexp_extract("$path", 'conversation_id=([^/]+)/', 1) AS conversation_id,
  regexp_extract("$path", '([^/]+)_metadata\.json$', 1) AS recording_id,
  mediatype, provider,
  "$path" AS sidecar
FROM recording_sidecars
WHERE "$path" LIKE '%\_metadata.json' ESCAPE '\'
  AND contains(queueids, ?)
  AND concat(year, '-', month, '-', day) BETWEEN ? AND ?
ORDER BY year, month, day, hour, sidecar;
