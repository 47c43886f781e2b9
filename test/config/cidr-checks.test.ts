import { ConfigError, ENVIRONMENTS, EnvironmentConfigInput, resolveConfig } from '../../lib/config';
import { cidrListRefusal, parseCidr, reservedRangeOf } from '../../lib/config/cidr-checks';

// The environments as loaded (the shared base merged with each file).
const prod = ENVIRONMENTS['prod'];
const sample = ENVIRONMENTS['sample'];

const FETCHED = {
  source: 'GET https://api.mypurecloud.com/api/v2/ipranges, services data-actions',
  services: ['data-actions'],
  region: 'us-east-1',
  fetchedAt: '2026-11-23T12:00:00.000Z',
  cidrs: ['52.0.0.0/16', '2600:1f18::/36'],
};

/** prod with its CIDR list replaced, as a fresh object. */
function prodWith(list: Record<string, unknown>): EnvironmentConfigInput {
  const copy = structuredClone<EnvironmentConfigInput>(prod);
  copy.genesys.allowedCidrs = list as EnvironmentConfigInput['genesys']['allowedCidrs'];
  return copy;
}

function refusal(envName: string, input: EnvironmentConfigInput): string {
  try {
    resolveConfig(envName, input);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('the configuration was accepted');
}

const FILE = 'lib/config/environments/prod.genesys-cidrs.json';
const REFRESH = 'npm run genesys:ip-ranges -- --env prod';

describe('CIDR lists that cannot block silently (refused at synth)', () => {
  test('a fetched list of public ranges for the environment region is accepted', () => {
    expect(() => resolveConfig('prod', prodWith(FETCHED))).not.toThrow();
  });

  test('the committed prod list is an explicit example: documentation ranges only, never fetched, and it synthesizes', () => {
    expect(prod.genesys.allowedCidrs.example).toBe(true);
    expect(prod.genesys.allowedCidrs.fetchedAt).toBeNull();
    expect(() => resolveConfig('prod', prod)).not.toThrow();
  });

  test('invalid CIDR syntax is refused, in sample too', () => {
    const input = structuredClone<EnvironmentConfigInput>(sample);
    input.genesys.allowedCidrs = { ...input.genesys.allowedCidrs, cidrs: ['192.0.2.0/24', '203.0.300.0/24'] };
    expect(refusal('sample', input)).toBe(
      `Environment "sample", field "genesys.allowedCidrs.cidrs[1]": '203.0.300.0/24' must be a CIDR block such as 203.0.113.0/24; fix it in lib/config/environments/sample.genesys-cidrs.json.`,
    );
  });

  test('an IPv6 block the schema lets through but no parser reads is refused by the CIDR check', () => {
    expect(refusal('prod', prodWith({ ...FETCHED, cidrs: ['52.0.0.0/16', '2600:::1f18/36'] }))).toBe(
      `Environment "prod", field "genesys.allowedCidrs.cidrs[1]": '2600:::1f18/36' in ${FILE} is not a valid CIDR block ('2600:::1f18' is neither an IPv4 nor an IPv6 address); correct it or run ${REFRESH} to rewrite the list from Genesys's feed.`,
    );
  });

  test('a never-fetched list is refused outside sample', () => {
    const { example: _example, ...placeholder } = prod.genesys.allowedCidrs;
    void _example;
    expect(refusal('prod', prodWith(placeholder))).toBe(
      `Environment "prod", field "genesys.allowedCidrs.fetchedAt": ${FILE} was never fetched from Genesys (fetchedAt is null), so its ranges are placeholders that would deny every export; run ${REFRESH} before deploying.`,
    );
  });

  test('the same never-fetched list is accepted in sample', () => {
    expect(sample.genesys.allowedCidrs.fetchedAt).toBeNull();
    expect(() => resolveConfig('sample', sample)).not.toThrow();
  });

  test.each([
    ['10.20.0.0/16', 'a private range (RFC 1918)'],
    ['172.16.5.0/24', 'a private range (RFC 1918)'],
    ['192.168.1.0/24', 'a private range (RFC 1918)'],
    ['127.0.0.1/32', 'the loopback range (RFC 1122)'],
    ['169.254.0.0/16', 'the link-local range (RFC 3927)'],
    ['203.0.113.0/24', 'a documentation range (RFC 5737)'],
    ['198.51.100.64/26', 'a documentation range (RFC 5737)'],
    ['100.64.0.0/10', 'the carrier-grade NAT range (RFC 6598)'],
    ['224.0.0.0/8', 'the multicast range (RFC 5771)'],
    ['2001:db8:1::/48', 'the documentation range (RFC 3849)'],
    ['fd00::/8', 'the unique local range (RFC 4193)'],
    ['fe80::/64', 'the link-local range (RFC 4291)'],
    ['::1/128', 'the unspecified or loopback address (RFC 4291)'],
    // A wide block that contains a reserved range is refused too.
    ['10.0.0.0/7', 'a private range (RFC 1918)'],
  ])('%s in a fetched list is refused as %s', (cidr, what) => {
    expect(refusal('prod', prodWith({ ...FETCHED, cidrs: ['52.0.0.0/16', cidr] }))).toBe(
      `Environment "prod", field "genesys.allowedCidrs.cidrs[1]": '${cidr}' in ${FILE} is in ${what}, from which Genesys cannot write, so its exports would be denied; remove it or run ${REFRESH} to rewrite the list from Genesys's feed.`,
    );
  });

  test('a list fetched for another Genesys region is refused', () => {
    expect(refusal('prod', prodWith({ ...FETCHED, region: 'eu-west-1' }))).toBe(
      `Environment "prod", field "genesys.allowedCidrs.region": ${FILE} was fetched for the Genesys region eu-west-1, but this environment's Genesys organization is in us-east-1; run ${REFRESH} to fetch the list for us-east-1.`,
    );
  });

  test('an example list may hold only documentation ranges', () => {
    expect(refusal('prod', prodWith({ ...prod.genesys.allowedCidrs, cidrs: ['203.0.113.0/25', '52.0.0.0/16'] }))).toBe(
      `Environment "prod", field "genesys.allowedCidrs.cidrs[1]": ${FILE} is marked "example": true but holds '52.0.0.0/16', which is not a documentation range (RFC 5737, RFC 3849); remove "example" and run ${REFRESH} before deploying.`,
    );
  });

  test('an example list cannot claim to be fetched', () => {
    expect(refusal('prod', prodWith({ ...FETCHED, example: true, cidrs: ['203.0.113.0/25'] }))).toBe(
      `Environment "prod", field "genesys.allowedCidrs.example": ${FILE} is marked "example": true but was fetched at 2026-11-23T12:00:00.000Z; remove "example" from the file.`,
    );
  });
});

describe('CIDR parsing', () => {
  test.each([
    ['203.0.113.0', 'it has no /prefix length'],
    ['203.0.113.0/33', 'the prefix length 33 is above 32'],
    ['203.0.113/24', 'an IPv4 address has four dotted numbers'],
    ['2001:db8::/129', 'the prefix length 129 is above 128'],
    ['2001:zz8::/32', "'2001:zz8::' is neither an IPv4 nor an IPv6 address"],
    ['1.2.3.4/x', "the prefix length 'x' is not a number"],
  ])('%s is refused: %s', (cidr, reason) => {
    expect(parseCidr(cidr)).toEqual({ ok: false, reason });
  });

  test('public blocks are not reserved, and families do not mix', () => {
    expect(reservedRangeOf('52.94.0.0/22')).toBeUndefined();
    expect(reservedRangeOf('2600:1f18::/36')).toBeUndefined();
    expect(reservedRangeOf('11.0.0.0/8')).toBeUndefined();
    expect(reservedRangeOf('::ffff:10.0.0.1/128')?.what).toBe('the IPv4-mapped range (RFC 4291)');
  });

  test('sample skips every check but syntax', () => {
    expect(
      cidrListRefusal({
        envName: 'sample',
        file: 'x.json',
        genesysRegion: 'eu-west-1',
        list: { region: 'us-east-1', fetchedAt: null, cidrs: ['10.0.0.0/8'] },
      }),
    ).toBeUndefined();
  });
});
