import type { IpRange } from './client';

/** CIDRs of the given services, sorted and without duplicates, so a committed list diffs cleanly. */
export function cidrsOf(ranges: readonly IpRange[], services: readonly string[]): string[] {
  return [...new Set(ranges.filter((r) => services.includes(r.service)).map((r) => r.cidr))].sort();
}

/** What the live feed has that the deployed list lacks, and the reverse. */
export interface CidrDrift {
  readonly added: string[];
  readonly removed: string[];
}

export function cidrDrift(deployed: readonly string[], live: readonly string[]): CidrDrift {
  return {
    added: live.filter((c) => !deployed.includes(c)).sort(),
    removed: deployed.filter((c) => !live.includes(c)).sort(),
  };
}
