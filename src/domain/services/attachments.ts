/**
 * Request attachments: data URLs decoded and judged by their magic bytes (PDF, JPEG, PNG only), ≤ 2 MB each, ≤ 8 per
 * request; the stored content type is the sniffed one, and a file whose name or declared type says otherwise is refused.
 */
import { AppError, type FieldError } from '../../errors.js';

export const MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024;
export const MAX_ATTACHMENTS = 8;
/** 8 × 2 MB in base64 (4/3) plus the JSON around it. */
export const SERVICE_REQUEST_BODY_BYTES = 20 * 1024 * 1024;

export type AttachmentType = 'application/pdf' | 'image/jpeg' | 'image/png';

const SIGNATURES: { type: AttachmentType; magic: number[]; extensions: string[] }[] = [
  { type: 'application/pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d], extensions: ['pdf'] },
  { type: 'image/jpeg', magic: [0xff, 0xd8, 0xff], extensions: ['jpg', 'jpeg'] },
  { type: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], extensions: ['png'] },
];

export interface AttachmentInput {
  kind: string;
  filename: string;
  dataUrl: string;
}

export interface DecodedAttachment {
  kind: string;
  filename: string;
  contentType: AttachmentType;
  data: Uint8Array;
}

/** What the bytes are, by their first bytes; null for anything else. */
export function sniffAttachmentType(bytes: Uint8Array): AttachmentType | null {
  for (const s of SIGNATURES) {
    if (bytes.length >= s.magic.length && s.magic.every((b, i) => bytes[i] === b)) return s.type;
  }
  return null;
}

const DATA_URL = /^data:([a-z0-9.+/-]+)?(;[a-z0-9=.-]+)*;base64,([A-Za-z0-9+/]*={0,2})$/i;

/** Decodes and checks every attachment; 415 unsupported_media_type, 413 payload_too_large or 400 with the field. */
export function decodeAttachments(inputs: readonly AttachmentInput[], path = 'attachments'): DecodedAttachment[] {
  return inputs.map((input, i) => {
    const field = `${path}.${i}.dataUrl`;
    const match = DATA_URL.exec(input.dataUrl);
    if (!match) throw new AppError('invalid_request', { errors: [{ path: field, message: 'a base64 data URL' } satisfies FieldError] });
    const data = new Uint8Array(Buffer.from(match[3]!, 'base64'));
    if (data.length === 0) throw new AppError('invalid_request', { errors: [{ path: field, message: 'empty file' }] });
    if (data.length > MAX_ATTACHMENT_BYTES) {
      throw new AppError('payload_too_large', { detail: `${field}: each attachment may be at most ${MAX_ATTACHMENT_BYTES} bytes.` });
    }
    const sniffed = sniffAttachmentType(data);
    const signature = SIGNATURES.find((s) => s.type === sniffed);
    if (!sniffed || !signature) {
      throw new AppError('unsupported_media_type', { detail: `${field}: only PDF, JPEG or PNG files are accepted.` });
    }
    const extension = /\.([A-Za-z0-9]{1,5})$/.exec(input.filename)?.[1]?.toLowerCase();
    const declared = match[1]?.toLowerCase();
    // A JPEG named .pdf (or declared application/pdf) is refused: the name would mislead whoever opens it.
    if ((extension !== undefined && !signature.extensions.includes(extension)) || (declared !== undefined && declared !== sniffed && !(declared === 'image/jpg' && sniffed === 'image/jpeg'))) {
      throw new AppError('unsupported_media_type', { detail: `${path}.${i}: the file is ${sniffed}, not what its name or type says.` });
    }
    return { kind: input.kind, filename: input.filename, contentType: sniffed, data };
  });
}
