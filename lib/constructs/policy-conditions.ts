/** A condition that exempts the given principals, or none: the statement then applies to everyone. */
export function exceptPrincipals(arns: readonly string[] | undefined): Record<string, unknown> | undefined {
  return arns && arns.length > 0 ? { ArnNotEquals: { 'aws:PrincipalArn': [...arns] } } : undefined;
}
