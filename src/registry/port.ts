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

export interface FamilyMember {
  nik: string;
  name: string;
  relationship: string;
}

export interface FamilyCard {
  kk: string;
  headNik: string;
  address: Address;
  members: FamilyMember[];
}

export interface PopulationRegistry {
  findResident(nik: string): Promise<RegistryResident | null>;
  /** The KTP-el photo on record; null when there is none. */
  residentPhoto(nik: string): Promise<Photo | null>;
  familyCard(kk: string): Promise<FamilyCard | null>;
}
