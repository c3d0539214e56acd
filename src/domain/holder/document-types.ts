/** The population documents a holder may have and show as a QR: data, not code (STYLE.md), with their titles. */

export const DOCUMENT_TYPES = [
  'ktp',
  'family_card',
  'birth_certificate',
  'marriage_certificate',
  'divorce_certificate',
  'death_certificate',
  'kia',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const DOCUMENT_TITLES: Record<DocumentType, { id: string; en: string }> = {
  ktp: { id: 'KTP Elektronik', en: 'Electronic identity card (KTP-el)' },
  family_card: { id: 'Kartu Keluarga', en: 'Family card' },
  birth_certificate: { id: 'Akta Kelahiran', en: 'Birth certificate' },
  marriage_certificate: { id: 'Akta Perkawinan', en: 'Marriage certificate' },
  divorce_certificate: { id: 'Akta Perceraian', en: 'Divorce certificate' },
  death_certificate: { id: 'Akta Kematian', en: 'Death certificate' },
  kia: { id: 'Kartu Identitas Anak', en: 'Child identity card (KIA)' },
};

export const isDocumentType = (value: string): value is DocumentType => (DOCUMENT_TYPES as readonly string[]).includes(value);
