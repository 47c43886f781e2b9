-- Every sidecar of one conversation. Parameters (in order): conversation_id.
-- Add a date range (by-date-range) for large archives: this query reads every partition.
SELECT
  org, year, month, day, hour,
  regexp_extract("$path", 'conversation_id=([^/]+)/', 1) AS conversation_id,
  regexp_extract("$path", '([^/]+)_metadata\.json$', 1) AS recording_id,
  mediatype, mediasubtype, provider,
  "$path" AS sidecar
FROM recording_sidecars
WHERE "$path" LIKE '%\_metadata.json' ESCAPE '\'
  AND regexp_extract("$path", 'conversation_id=([^/]+)/', 1) = ?
ORDER BY sidecar;
