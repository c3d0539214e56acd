/** The issuing Dukcapil office of a regency code, named as it signs documents. */
import { findRegency } from '../../registry/regions.js';

export interface IssuingOffice {
  code: string;
  /** "KABUPATEN PANGKAJENE DAN KEPULAUAN" */
  regencyName: string;
  /** "Dinas Kependudukan dan Pencatatan Sipil KABUPATEN PANGKAJENE DAN KEPULAUAN": as GET /v1/me/documents names offices. */
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
    name: `Dinas Kependudukan dan Pencatatan Sipil ${regency.name}`,
    seat: regency.seat,
    government: `PEMERINTAH ${regency.name}`,
  };
}
