/**
 * Snapshot serializer that replaces asset hashes (64 hex characters, alone or in asset file
 * names) so snapshots change only when a template does, not when a bundle's bytes do.
 */
const HASH = /[0-9a-f]{64}/g;

module.exports = {
  test: (value: unknown) => typeof value === 'string' && /[0-9a-f]{64}/.test(value),
  serialize: (value: string) => JSON.stringify(value.replace(HASH, '[ASSET-HASH]')),
};
