import { ArchiveConfig } from './schema';

/** Minimum storage durations S3 bills for (days), per storage class the archive moves to. */
const MINIMUM_STORAGE_DAYS = { STANDARD_IA: 30, GLACIER: 90, DEEP_ARCHIVE: 180 } as const;

/**
 * Retention classes that delete recordings before the storage class they reached has been paid
 * for: S3 bills the rest of its minimum duration on early deletion. Not refused (the class is
 * the compliance decision), but shown at synth time so the cost is a choice.
 */
export function lifecycleCostWarnings(config: ArchiveConfig): string[] {
  const { standardIaDays, glacierDays, deepArchiveDays } = config.lifecycle;
  const stages: [keyof typeof MINIMUM_STORAGE_DAYS, number][] = [
    ['STANDARD_IA', standardIaDays],
    ['GLACIER', glacierDays],
    ['DEEP_ARCHIVE', deepArchiveDays],
  ];
  const warnings: string[] = [];
  for (const [name, days] of Object.entries(config.retention.classes)) {
    // The last class an object reaches before its expiration (an expiration on the day of a
    // transition wins, so that transition never happens).
    const reached = stages.filter(([, after]) => after < days).pop();
    if (!reached) continue;
    const [storageClass, since] = reached;
    const stored = days - since;
    const minimum = MINIMUM_STORAGE_DAYS[storageClass];
    if (stored < minimum) {
      warnings.push(
        `Environment "${config.envName}", field "retention.classes.${name}": recordings of this class move to ${storageClass} on day ${since} and expire on day ${days}, ${minimum - stored} days before ${storageClass}'s ${minimum}-day minimum, which S3 bills as early deletion; move the class to day ${since} or at least ${since + minimum}, or accept the charge.`,
      );
    }
  }
  return warnings;
}
