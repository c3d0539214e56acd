/**
 * The population registry port (SIAK Terpusat). The service reads residents through this interface only,
 * so the seeded stand-in can be replaced by a SIAK web-service adapter without touching the domain.
 */

export type Sex = 'LAKI-LAKI' | 'PEREMPUAN';
export type MaritalStatus = 'BELUM KAWIN' | 'KAWIN' | 'CERAI HIDUP' | 'CERAI MATI';
export type RecordStatus = 'single' | 'duplicate';

export interface Address {
  street: string;
  rt: string;
  rw: string;
  village: string;
  district: string;
  regency: string;
  province: string;
}

export interface RegistryResident {
  nik: string;
  /** Family card (KK) number. */
  kk: string;
  name: string;
  birthPlace: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: Sex;
  bloodType: string;
  address: Address;
  religion: string;
  maritalStatus: MaritalStatus;
  occupation: string;
  citizenship: string;
  /** KTP-el biometrics recorded (perekaman KTP-el). */
  ktpElRecorded: boolean;
  recordStatus: RecordStatus;
  deceased: boolean;
  /** Codes of the region (for statistics by province). */
  provinceCode: string;
  regencyCode: string;
  districtCode: string;
}

/** The KTP elements a resident's record shows (all but the photo): what GET /v1/me/ktp and a counter may see. */
export type KtpFields = Pick<
  RegistryResident,
  'nik' | 'name' | 'birthPlace' | 'birthDate' | 'sex' | 'bloodType' | 'address' | 'religion' | 'maritalStatus' | 'occupation' | 'citizenship'
>;

export interface Photo {
  contentType: 'image/png' | 'image/jpeg';
  bytes: Uint8Array;
}

/** A KK row as printed (Kartu Keluarga), in family order. */
export interface FamilyMember {
  nik: string;
  name: string;
  /** SHDK: KEPALA KELUARGA, ISTRI, SUAMI, ANAK, ORANG TUA, … */
  relationship: string;
  sex: Sex;
  birthPlace: string;
  birthDate: string;
  religion: string;
  education: string;
  occupation: string;
  maritalStatus: MaritalStatus;
  citizenship: string;
  fatherName: string;
  motherName: string;
  deceased: boolean;
}

export interface FamilyCard {
  kk: string;
  headNik: string;
  /** YYYY-MM-DD */
  issuedOn: string;
  address: Address;
  members: FamilyMember[];
}

/** A civil-registry certificate or card: its number and the day it was issued (for a marriage, the marriage). */
export interface Certificate {
  number: string;
  /** YYYY-MM-DD */
  issuedOn: string;
}

/** What the civil registry holds about one resident besides the KTP elements. */
export interface CivilRecord {
  nik: string;
  kk: string;
  familyRelationship: string;
  education: string;
  fatherName: string;
  motherName: string;
  birthCertificate: Certificate | null;
  marriageCertificate: Certificate | null;
  divorceCertificate: Certificate | null;
  /** Only on a deceased resident's record. */
  deathCertificate: Certificate | null;
  /** Kartu Identitas Anak, for children under 17; its number is the NIK. */
  kia: Certificate | null;
}

export interface PopulationRegistry {
  findResident(nik: string): Promise<RegistryResident | null>;
  /** The KTP-el photo on record; null when there is none. */
  residentPhoto(nik: string): Promise<Photo | null>;
  familyCard(kk: string): Promise<FamilyCard | null>;
  civilRecord(nik: string): Promise<CivilRecord | null>;
  /**
   * The resident, their civil record and their KK (null when the card is missing) together: what every document
   * read needs, in one read where the adapter can (the document QR's hot paths). null for an unknown NIK.
   */
  holderRecords(nik: string): Promise<HolderRecords | null>;
}

export interface HolderRecords {
  resident: RegistryResident;
  civil: CivilRecord;
  family: FamilyCard | null;
}
