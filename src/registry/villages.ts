/**
 * Node only (reads the idn-area-data package's CSV): every village (desa/kelurahan) of every district, for the seed
 * to populate any regency. Not in the generated region module: 83 762 villages are 2.7 MB of CSV, ~0.6 s and ~17 MB
 * of heap to load, which neither the app's start nor the Workers bundle should pay.
 */
import { getVillages } from 'idn-area-data';

/** District code (six digits) → village names, upper case as on the KTP. */
export async function loadVillages(): Promise<(districtCode: string) => readonly string[]> {
  const byDistrict = new Map<string, string[]>();
  for (const v of await getVillages()) {
    const district = v.district_code.replace(/\./g, '');
    const list = byDistrict.get(district) ?? [];
    list.push(v.name.toUpperCase().replace(/\s+/g, ' ').trim());
    byDistrict.set(district, list);
  }
  return (districtCode) => byDistrict.get(districtCode) ?? [];
}
