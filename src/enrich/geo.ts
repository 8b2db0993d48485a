/**
 * The country/ASN answer for an address: a database the user loaded (`nightjar geo load`) where there
 * is one for that kind of answer, else the built-in data from the npm packages.
 */
import type { GeoAnswer, GeoSource } from './geo-answer.js';
import { loadedMmdbs } from './geo-mmdb.js';
import { openPackageGeo } from './geo-package.js';
import { isSpecialPurpose } from './special-ranges.js';

const NOWHERE: GeoAnswer = { country: null, asn: null, as_org: null };

/** The combined database, and where each kind of answer comes from. */
export interface Geo extends GeoSource {
  readonly countrySource: string;
  readonly asnSource: string;
}

/** Opens the databases for the store at `storeLocation` (loaded ones beside it take precedence). */
export async function openGeo(storeLocation: string): Promise<Geo> {
  const user = loadedMmdbs(storeLocation);
  const builtIn = user.country && user.asn ? null : await openPackageGeo();
  const country = user.country ?? builtIn!;
  const asn = user.asn ?? builtIn!;
  return {
    name: country === asn ? country.name : `${country.name} + ${asn.name}`,
    countrySource: country.name,
    asnSource: asn.name,
    lookup(address: string): GeoAnswer {
      // Private, documentation, multicast... ranges: no country or AS, whatever a database says.
      if (isSpecialPurpose(address)) return NOWHERE;
      const c = country.lookup(address);
      if (country === asn) return c;
      const a = asn.lookup(address);
      return { country: c.country, asn: a.asn, as_org: a.as_org };
    },
  };
}
