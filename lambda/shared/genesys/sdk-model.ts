import type * as z from '../zod';

/** The field names a schema reads that the SDK model lacks (`never` when every name is the model's). */
export type UnknownFields<Shape, Model> = Exclude<keyof Shape, keyof Model>;

/**
 * Checks at compile time that every field a response schema reads is a field of Genesys's SDK model
 * `Model` (from `purecloud-platform-client-v2`, imported with `import type` so nothing of the SDK is
 * bundled): a misspelt wire name fails `tsc`, naming the field. Returns the schema unchanged.
 */
export function modelSchema<Model>() {
  return <S extends z.core.$ZodObject & { readonly shape: z.core.$ZodShape }>(
    schema: S &
      ([UnknownFields<S['shape'], Model>] extends [never]
        ? unknown
        : { readonly notInSdkModel: UnknownFields<S['shape'], Model> }),
  ): S => schema;
}
