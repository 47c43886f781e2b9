import { COMPLIANCE_PRESETS, ENVIRONMENTS, GENESYS_AWS_ACCOUNT_ID, loadConfig, resolveConfig } from '../../lib/config';

/** The sample environment as loaded (the shared base merged with sample.ts). */
const sample = ENVIRONMENTS['sample'];

describe('committed environments', () => {
  test.each(Object.keys(ENVIRONMENTS))('%s validates', (name) => {
    const config = loadConfig(name);
    expect(config.envName).toBe(name);
    expect(config.terminationProtection).toBe(name !== 'sample');
  });

  test('sample synthesizes offline: placeholder account, default Genesys account, Connect guide classes', () => {
    const config = loadConfig('sample');
    expect(config.account).toBe('111111111111');
    expect(config.genesys.trustedAccountId).toBe(GENESYS_AWS_ACCOUNT_ID);
    expect(config.genesys.storageMode).toBe('DUAL');
    expect(config.retention).toEqual({ tagKey: 'retention', classes: { short: 30, long: 90 }, defaultClass: 'long' });
    expect(config.lifecycle).toEqual({
      standardIaDays: 30,
      glacierDays: 90,
      deepArchiveDays: 180,
      noncurrentVersionExpirationDays: 1,
      abortIncompleteMultipartUploadDays: 7,
    });
  });

  test('an unknown environment lists the committed ones', () => {
    expect(() => loadConfig('staging')).toThrow(
      `Environment "staging" is not committed; pass -c env=NAME with one of: ${Object.keys(ENVIRONMENTS).join(', ')} (or add lib/config/environments/staging.ts).`,
    );
  });
});

describe('compliance presets', () => {
  test('PCI-DSS 730 days, HIPAA 6 years, SEC 17a-4 7 years with COMPLIANCE lock', () => {
    expect(COMPLIANCE_PRESETS).toEqual({
      'pci-dss': { retentionDays: 730, objectLockMode: 'GOVERNANCE' },
      hipaa: { retentionDays: 2190, objectLockMode: 'GOVERNANCE' },
      'sec-17a-4': { retentionDays: 2555, objectLockMode: 'COMPLIANCE' },
    });
  });

  test.each([
    ['pci-dss', 730],
    ['hipaa', 2190],
  ] as const)('preset %s sets the window to %i days', (preset, days) => {
    const config = resolveConfig('sample', {
      ...sample,
      compliance: { preset },
      genesys: { ...sample.genesys, platformRetentionDays: days },
    });
    expect(config.compliance.retentionDays).toBe(days);
  });

  test('explicit days may lengthen a preset', () => {
    const config = resolveConfig('sample', { ...sample, compliance: { preset: 'pci-dss', retentionDays: 800 } });
    expect(config.compliance.retentionDays).toBe(800);
  });

  test('explicit days alone are a window too', () => {
    const config = resolveConfig('sample', { ...sample, compliance: { retentionDays: 1000 } });
    expect(config.compliance).toEqual({ preset: undefined, retentionDays: 1000 });
  });
});
