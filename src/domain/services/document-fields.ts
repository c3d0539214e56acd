/** What an issued document prints: the request's details (flattened, Indonesian-style labels kept as keys) and the holder's record. */
import type { FamilyCard, RegistryResident } from '../../registry/port.js';
import type { OutputDocument } from './catalog.js';

type FieldValue = string | number | null | Array<Record<string, string | null>>;

/** Nested objects become dotted keys; lists of scalars a comma list; lists of objects rows. */
function flatten(value: unknown, prefix: string, out: Record<string, FieldValue>): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) out[prefix] = value.map(String).join(', ');
    else out[prefix] = value.map((row) => Object.fromEntries(Object.entries(row as Record<string, unknown>).map(([k, v]) => [k, v === null || v === undefined ? null : String(v)])));
    return;
  }
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  out[prefix] = typeof value === 'number' ? value : String(value);
}

export function documentFields(
  output: OutputDocument,
  request: { number: string; nik: string; details: Record<string, unknown> },
  resident: RegistryResident | null,
  family: FamilyCard | null,
): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = {
    requestNumber: request.number,
    nik: request.nik,
    name: resident?.name ?? null,
  };
  if (resident) {
    fields.birthPlace = resident.birthPlace;
    fields.birthDate = resident.birthDate;
    fields.sex = resident.sex;
    fields.address = [resident.address.street, `RT ${resident.address.rt}/RW ${resident.address.rw}`, resident.address.village, resident.address.district, resident.address.regency, resident.address.province].join(', ');
  }
  flatten(request.details, '', fields);
  if (output.type === 'family_card' && family) {
    fields.kk = family.kk;
    fields.headOfFamilyNik = family.headNik;
    fields.members = family.members.map((m) => ({ nik: m.nik, name: m.name, relationship: m.relationship, sex: m.sex, birthPlace: m.birthPlace, birthDate: m.birthDate, religion: m.religion }));
  }
  return fields;
}
