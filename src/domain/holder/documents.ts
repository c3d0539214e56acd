/**
 * The holder's biodata, family card and population documents, read from the registry (SIAK): GET /v1/me/biodata,
 * /family, /documents and /documents/{type}, and the document a counter receives when it redeems a document QR.
 * Everything is derived from the holder's own NIK; another holder's data is reachable only through a shared KK.
 */
import { AppError } from '../../errors.js';
import type { Certificate, CivilRecord, FamilyCard, HolderRecords, PopulationRegistry, RegistryResident } from '../../registry/port.js';
import type { Deps } from '../../deps.js';
import type { KtpElement } from '../../crypto/token-codec.js';
import { issueKtpToken, type QrFormat, type ResidentTokenCredential } from '../credential/ktp-token.js';
import type { ResidentPrincipal } from '../credential/login.js';
import { DOCUMENT_TITLES, DOCUMENT_TYPES, type DocumentType } from './document-types.js';
import { listIssuedDocuments } from '../issued-documents/list.js';

export interface DocumentSummary {
  type: DocumentType;
  number: string;
  title: string;
  issuedOn: string;
  issuedBy: string;
}

export interface PopulationDocument extends DocumentSummary {
  fields: Record<string, unknown>;
}

type Lang = 'id' | 'en';


async function holderRecords(registry: PopulationRegistry, nik: string): Promise<HolderRecords | null> {
  return registry.holderRecords(nik);
}

const ktpFields = (r: RegistryResident) => ({
  nik: r.nik,
  name: r.name,
  birthPlace: r.birthPlace,
  birthDate: r.birthDate,
  sex: r.sex,
  bloodType: r.bloodType,
  address: r.address,
  religion: r.religion,
  maritalStatus: r.maritalStatus,
  occupation: r.occupation,
  citizenship: r.citizenship,
});

/** GET /v1/me/biodata: the KTP elements plus what the civil registry holds. */
export async function residentBiodata(deps: Pick<Deps, 'registry'>, resident: ResidentPrincipal) {
  const records = await holderRecords(deps.registry, resident.nik);
  if (!records) throw new AppError('not_found');
  const { resident: r, civil } = records;
  return {
    ...ktpFields(r),
    kk: r.kk,
    familyRelationship: civil.familyRelationship,
    education: civil.education,
    fatherName: civil.fatherName,
    motherName: civil.motherName,
    ...(civil.birthCertificate ? { birthCertificateNumber: civil.birthCertificate.number } : {}),
    ...(civil.marriageCertificate ? { marriageCertificateNumber: civil.marriageCertificate.number, marriageDate: civil.marriageCertificate.issuedOn } : {}),
    ...(civil.divorceCertificate ? { divorceCertificateNumber: civil.divorceCertificate.number, divorceDate: civil.divorceCertificate.issuedOn } : {}),
  };
}

/** The Kartu Keluarga as printed. */
function familyView(card: FamilyCard) {
  const head = card.members.find((m) => m.nik === card.headNik) ?? card.members[0];
  return {
    kk: card.kk,
    issuedOn: card.issuedOn,
    headOfFamily: { nik: card.headNik, name: head?.name ?? '-' },
    address: card.address,
    members: card.members.map(({ deceased: _deceased, ...m }) => m),
  };
}

/** GET /v1/me/family */
export async function residentFamily(deps: Pick<Deps, 'registry'>, resident: ResidentPrincipal) {
  const records = await holderRecords(deps.registry, resident.nik);
  if (!records?.family) throw new AppError('document_not_found');
  return familyView(records.family);
}

/** The day the KTP-el counts as issued: the registry keeps no date, so the 17th birthday, not before the 2011 rollout. */
function ktpIssuedOn(birthDate: string): string {
  const seventeen = `${Number(birthDate.slice(0, 4)) + 17}${birthDate.slice(4)}`;
  return seventeen > '2011-01-01' ? seventeen : '2011-01-01';
}

/** Every document the holder has, each with its on-screen fields; in DOCUMENT_TYPES order. */
function holderDocuments(records: HolderRecords, lang: Lang): PopulationDocument[] {
  const { resident: r, civil, family } = records;
  const issuedBy = `Dinas Kependudukan dan Pencatatan Sipil ${r.address.regency}`;
  const doc = (type: DocumentType, cert: Certificate, fields: Record<string, unknown>): PopulationDocument => ({
    type,
    number: cert.number,
    title: DOCUMENT_TITLES[type][lang],
    issuedOn: cert.issuedOn,
    issuedBy,
    fields,
  });
  const docs: PopulationDocument[] = [];
  if (r.ktpElRecorded) docs.push(doc('ktp', { number: r.nik, issuedOn: ktpIssuedOn(r.birthDate) }, ktpFields(r)));
  if (family) docs.push(doc('family_card', { number: family.kk, issuedOn: family.issuedOn }, familyView(family)));
  const person = { nik: r.nik, name: r.name, sex: r.sex, birthPlace: r.birthPlace, birthDate: r.birthDate };
  if (civil.birthCertificate) {
    docs.push(doc('birth_certificate', civil.birthCertificate, { ...person, fatherName: civil.fatherName, motherName: civil.motherName }));
  }
  if (civil.marriageCertificate) {
    // The spouse on the same card shares the certificate; a former or late spouse is not on the card.
    const isSpouse = (relationship: string) => relationship === 'ISTRI' || relationship === 'SUAMI';
    const spouse =
      family && r.nik === family.headNik
        ? family.members.find((m) => isSpouse(m.relationship))
        : family && isSpouse(civil.familyRelationship)
          ? family.members.find((m) => m.nik === family.headNik)
          : undefined;
    docs.push(doc('marriage_certificate', civil.marriageCertificate, {
      marriageDate: civil.marriageCertificate.issuedOn,
      spouses: [{ nik: r.nik, name: r.name }, ...(spouse ? [{ nik: spouse.nik, name: spouse.name }] : [])],
    }));
  }
  if (civil.divorceCertificate) {
    docs.push(doc('divorce_certificate', civil.divorceCertificate, {
      nik: r.nik,
      name: r.name,
      divorceDate: civil.divorceCertificate.issuedOn,
      ...(civil.marriageCertificate ? { marriageCertificateNumber: civil.marriageCertificate.number } : {}),
    }));
  }
  if (civil.deathCertificate) docs.push(doc('death_certificate', civil.deathCertificate, { ...person, deathDate: civil.deathCertificate.issuedOn }));
  if (civil.kia) {
    docs.push(doc('kia', civil.kia, { ...person, kk: r.kk, headOfFamily: family ? familyView(family).headOfFamily : null }));
  }
  return docs;
}

/** A death certificate of a deceased member of the holder's KK (the holder, alive, never has their own). */
async function withFamilyDeaths(registry: PopulationRegistry, records: HolderRecords, docs: PopulationDocument[], lang: Lang) {
  if (docs.some((d) => d.type === 'death_certificate') || !records.family) return docs;
  const deceased = records.family.members.find((m) => m.deceased && m.nik !== records.resident.nik);
  if (!deceased) return docs;
  const civil = await registry.civilRecord(deceased.nik);
  if (!civil?.deathCertificate) return docs;
  const death: PopulationDocument = {
    type: 'death_certificate',
    number: civil.deathCertificate.number,
    title: DOCUMENT_TITLES.death_certificate[lang],
    issuedOn: civil.deathCertificate.issuedOn,
    issuedBy: `Dinas Kependudukan dan Pencatatan Sipil ${records.resident.address.regency}`,
    fields: {
      nik: deceased.nik,
      name: deceased.name,
      sex: deceased.sex,
      birthPlace: deceased.birthPlace,
      birthDate: deceased.birthDate,
      relationship: deceased.relationship,
      deathDate: civil.deathCertificate.issuedOn,
    },
  };
  return [...docs, death].sort((a, b) => DOCUMENT_TYPES.indexOf(a.type) - DOCUMENT_TYPES.indexOf(b.type));
}

/** The holder's documents with their fields, or [] for an unknown NIK. Used by the routes and by redemption. */
export async function documentsOf(registry: PopulationRegistry, nik: string, lang: Lang = 'id'): Promise<PopulationDocument[]> {
  const records = await holderRecords(registry, nik);
  if (!records) return [];
  return withFamilyDeaths(registry, records, holderDocuments(records, lang), lang);
}

/** One document of the holder; 404 document_not_found for a type the holder does not have (or no such type). */
export async function documentOf(registry: PopulationRegistry, nik: string, type: string, lang: Lang = 'id'): Promise<PopulationDocument> {
  return (await documentWithResident(registry, nik, type, lang)).document;
}

/**
 * One document of the holder and the holder's registry record, from the same read: a document QR's redemption
 * discloses KTP elements beside the document without reading the registry twice.
 */
export async function documentWithResident(
  registry: PopulationRegistry,
  nik: string,
  type: string,
  lang: Lang = 'id',
): Promise<{ document: PopulationDocument; resident: RegistryResident }> {
  const records = await holderRecords(registry, nik);
  const found = records ? (await withFamilyDeaths(registry, records, holderDocuments(records, lang), lang)).find((d) => d.type === type) : undefined;
  if (!records || !found) throw new AppError('document_not_found');
  return { document: found, resident: records.resident };
}

/** GET /v1/me/documents: the registry's documents, then those issued through online services (newest first). */
export async function listResidentDocuments(deps: Pick<Deps, 'registry' | 'db'>, resident: ResidentPrincipal, lang: Lang = 'id') {
  const [docs, issued] = await Promise.all([documentsOf(deps.registry, resident.nik, lang), listIssuedDocuments(deps.db, resident.accountId, lang)]);
  return { items: [...docs.map(({ fields: _fields, ...summary }) => summary), ...issued] };
}

/** GET /v1/me/documents/{type} */
export async function residentDocument(deps: Pick<Deps, 'registry'>, resident: ResidentPrincipal, type: string, lang: Lang = 'id') {
  return documentOf(deps.registry, resident.nik, type, lang);
}

/** A document QR shows these KTP elements with the document unless the holder chooses others (API.md). */
export const DOCUMENT_QR_DEFAULT_ELEMENTS: readonly KtpElement[] = ['nik', 'name'];

/**
 * POST /v1/me/documents/{type}/qr: 404 document_not_found unless the holder has that document (checked before the
 * PIN, so no attempt is spent on it), then exactly the KTP QR's issuance (PIN, 90 s, one live QR per account).
 */
export async function issueDocumentToken(
  deps: Deps,
  input: { resident: ResidentPrincipal; credential: ResidentTokenCredential; type: string; pin: string; elements?: readonly KtpElement[]; format?: QrFormat },
) {
  const document = await documentOf(deps.registry, input.resident.nik, input.type);
  const issued = await issueKtpToken(deps, {
    credential: input.credential,
    pin: input.pin,
    elements: input.elements ?? (document.type === 'ktp' ? undefined : DOCUMENT_QR_DEFAULT_ELEMENTS),
    format: input.format,
    document: document.type,
  });
  return { token: issued.token, document: document.type, expiresAt: issued.expiresAt, ttlSeconds: issued.ttlSeconds, ...(issued.svg ? { svg: issued.svg } : {}), ...(issued.png ? { png: issued.png } : {}) };
}
