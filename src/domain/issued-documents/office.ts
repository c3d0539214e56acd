/** The issuing Dukcapil office of a regency code, named as it signs documents. */
import { findRegency } from '../../registry/regions.js';

export interface IssuingOffice {
  code: string;
  /** "KABUPATEN PANGKAJENE DAN KEPULAUAN" */
  regencyName: string;
  /** "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL KABUPATEN PANGKAJENE DAN KEPULAUAN" */
  name: string;
  /** Where a document is "dikeluarkan di": the regency seat. */
  seat: string;
  /** "PEMERINTAH KABUPATEN PANGKAJENE DAN KEPULAUAN" */
  government: string;
}

export function issuingOffice(officeCode: string): IssuingOffice {
  const regency = findRegency(officeCode);
  if (!regency) throw new Error(`unknown office code ${officeCode}`);
  return {
    code: regency.code,
    regencyName: regency.name,
    name: `DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL ${regency.name}`,
    seat: regency.seat,
    government: `PEMERINTAH ${regency.name}`,
  };
}
