/**
 * The seeded stand-in for the population registry (SIAK): residents with every KTP element, and family cards
 * (Kartu Keluarga). A family card's members are the residents carrying its number, in `family_order`.
 * Only the seeded registry adapter reads these tables; the service talks to the PopulationRegistry port.
 */
import { boolean, date, index, pgTable, smallint, text } from 'drizzle-orm/pg-core';

export const registryResidents = pgTable(
  'registry_residents',
  {
    nik: text('nik').primaryKey(),
    kk: text('kk').notNull(),
    name: text('name').notNull(),
    birthPlace: text('birth_place').notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    sex: text('sex', { enum: ['LAKI-LAKI', 'PEREMPUAN'] }).notNull(),
    bloodType: text('blood_type').notNull(),
    street: text('street').notNull(),
    rt: text('rt').notNull(),
    rw: text('rw').notNull(),
    village: text('village').notNull(),
    district: text('district').notNull(),
    regency: text('regency').notNull(),
    province: text('province').notNull(),
    /** Domicile codes (for statistics); the NIK's own region digits are those of first registration. */
    provinceCode: text('province_code').notNull(),
    regencyCode: text('regency_code').notNull(),
    districtCode: text('district_code').notNull(),
    religion: text('religion').notNull(),
    maritalStatus: text('marital_status', { enum: ['BELUM KAWIN', 'KAWIN', 'CERAI HIDUP', 'CERAI MATI'] }).notNull(),
    occupation: text('occupation').notNull(),
    citizenship: text('citizenship').notNull(),
    ktpElRecorded: boolean('ktp_el_recorded').notNull(),
    recordStatus: text('record_status', { enum: ['single', 'duplicate'] }).notNull(),
    deceased: boolean('deceased').notNull(),
    /** SHDK (status hubungan dalam keluarga): KEPALA KELUARGA, ISTRI, ANAK, ORANG TUA, … */
    familyRelationship: text('family_relationship').notNull(),
    familyOrder: smallint('family_order').notNull(),
    // Civil-registry facts (issue #11); null where the resident has no such document. Nullable so rows seeded
    // before migration 0006 stay valid.
    education: text('education'),
    fatherName: text('father_name'),
    motherName: text('mother_name'),
    birthCertificateNumber: text('birth_certificate_number'),
    birthCertificateIssuedOn: date('birth_certificate_issued_on', { mode: 'string' }),
    /** A married couple shares one marriage certificate (same number and date on both rows). */
    marriageCertificateNumber: text('marriage_certificate_number'),
    marriageDate: date('marriage_date', { mode: 'string' }),
    divorceCertificateNumber: text('divorce_certificate_number'),
    divorceDate: date('divorce_date', { mode: 'string' }),
    /** On the deceased resident's own row; the family sees it through the shared KK. */
    deathCertificateNumber: text('death_certificate_number'),
    deathDate: date('death_date', { mode: 'string' }),
    /** Kartu Identitas Anak (children under 17); its number is the NIK. */
    kiaIssuedOn: date('kia_issued_on', { mode: 'string' }),
  },
  (t) => [index('registry_residents_kk_idx').on(t.kk, t.familyOrder)],
);

export const registryFamilyCards = pgTable('registry_family_cards', {
  kk: text('kk').primaryKey(),
  headNik: text('head_nik').notNull(),
  street: text('street').notNull(),
  rt: text('rt').notNull(),
  rw: text('rw').notNull(),
  village: text('village').notNull(),
  district: text('district').notNull(),
  regency: text('regency').notNull(),
  province: text('province').notNull(),
  provinceCode: text('province_code').notNull(),
  regencyCode: text('regency_code').notNull(),
  districtCode: text('district_code').notNull(),
  issuedOn: date('issued_on', { mode: 'string' }).notNull(),
});

export type RegistryResidentRow = typeof registryResidents.$inferInsert;
export type RegistryFamilyCardRow = typeof registryFamilyCards.$inferInsert;
