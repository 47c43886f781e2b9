import { z } from 'zod';

/** Characters AWS accepts in a tag value (letters, digits, spaces and `_ . : / = + - @`), up to 256 of them. */
const tagValue = z
  .string()
  .regex(
    /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u,
    'must be 1-256 letters, digits, spaces or _ . : / = + - @ (the characters AWS accepts in a tag value)',
  );

/**
 * Cost allocation tags beyond `application` and `environment`, which every environment gets.
 * Activate the tag keys in the Billing console to see them in Cost Explorer.
 */
export const CostAllocationSchema = z
  .object({
    /**
     * Value of the `costCenter` tag on every resource.
     * @default - no costCenter tag
     */
    costCenter: tagValue.optional(),
    /**
     * Value of the `client` tag on every resource (a BPO's client this environment serves).
     * @default - no client tag
     */
    client: tagValue.optional(),
  })
  .strict();

/** The tag keys the app writes on every resource. */
export const COST_ALLOCATION_TAG_KEYS = {
  application: 'application',
  environment: 'environment',
  costCenter: 'costCenter',
  client: 'client',
} as const;

/** The value of the `application` tag. */
export const APPLICATION_TAG_VALUE = 'recording-archive';

/** The cost allocation tags of one environment: key -> value, optional tags only when configured. */
export function costAllocationTags(
  envName: string,
  costAllocation: z.output<typeof CostAllocationSchema> | undefined,
): Readonly<Record<string, string>> {
  const keys = COST_ALLOCATION_TAG_KEYS;
  return {
    [keys.application]: APPLICATION_TAG_VALUE,
    [keys.environment]: envName,
    ...(costAllocation?.costCenter ? { [keys.costCenter]: costAllocation.costCenter } : {}),
    ...(costAllocation?.client ? { [keys.client]: costAllocation.client } : {}),
  };
}
