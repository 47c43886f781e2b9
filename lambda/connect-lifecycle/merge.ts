/** A lifecycle rule as S3 returns it; only `ID` matters to the merge, the rest is kept as is. */
export interface LifecycleRuleLike {
  readonly ID?: string;
}

/** S3 holds at most 1,000 rules in one lifecycle configuration. */
export const MAX_LIFECYCLE_RULES = 1000;

/** Whether a rule is one of ours: its ID starts with our prefix. */
export function isOwnRule(rule: LifecycleRuleLike, idPrefix: string): boolean {
  return rule.ID?.startsWith(idPrefix) ?? false;
}

/**
 * The bucket's rules with ours replaced by `own` (L4): every rule whose ID lacks `idPrefix` is kept
 * in order, then our rules are appended. Refuses own rules outside the prefix and duplicate IDs.
 */
export function mergeRules<R extends LifecycleRuleLike>(
  existing: readonly R[],
  own: readonly R[],
  idPrefix: string,
): R[] {
  const foreign = existing.filter((rule) => !isOwnRule(rule, idPrefix));
  for (const rule of own) {
    if (!isOwnRule(rule, idPrefix)) {
      throw new Error(
        `The rule '${rule.ID ?? '(no ID)'}' does not start with '${idPrefix}', so it could not be removed later.`,
      );
    }
  }
  const ids = [...foreign, ...own].map((rule) => rule.ID).filter((id): id is string => id !== undefined);
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate) throw new Error(`The lifecycle rule ID '${duplicate}' would appear twice.`);
  const merged = [...foreign, ...own];
  if (merged.length > MAX_LIFECYCLE_RULES) {
    throw new Error(
      `The merged lifecycle configuration would hold ${merged.length} rules, more than S3's ${MAX_LIFECYCLE_RULES}.`,
    );
  }
  return merged;
}

/** The bucket's rules without ours (on delete). */
export function removeOwnRules<R extends LifecycleRuleLike>(existing: readonly R[], idPrefix: string): R[] {
  return existing.filter((rule) => !isOwnRule(rule, idPrefix));
}
