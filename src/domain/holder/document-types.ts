/** The population documents a holder may have and show as a QR: data, not code (STYLE.md), with their titles. */

import { TOKEN_DOCUMENTS, type TokenDocument } from '../../crypto/token-codec.js';

/** The same list as the token's document byte (docs/token-format.md): the index is the byte. */
export const DOCUMENT_TYPES = TOKEN_DOCUMENTS;
export type DocumentType = TokenDocument;

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
