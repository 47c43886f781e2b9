import * as z from '../shared/zod';

/** Metric the drift alarm watches (Powertools adds the `service` dimension). */
export const DRIFT_METRIC = {
  namespace: 'RecordingArchive/Genesys',
  name: 'CidrDrift',
  service: 'genesys-ip-ranges-drift',
} as const;

/** The schedule's input: the deployed list and where to compare it. */
export const DriftCheckEventSchema = z.object({
  /** Environment name (the metric's dimension). */
  envName: z.string().check(z.minLength(1)),
  /** `https://api.{domain}` of the Genesys region. */
  apiBaseUrl: z.url(),
  /** Services the committed list keeps. */
  services: z.array(z.string()).check(z.minLength(1)),
  /** CIDRs the bucket policy was deployed with. */
  deployedCidrs: z.array(z.string()).check(z.minLength(1)),
});
export type DriftCheckEvent = z.infer<typeof DriftCheckEventSchema>;
