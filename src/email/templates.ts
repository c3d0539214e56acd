/** The resident e-mails and the auditor's daily checkpoint (Indonesian and English), rendered to subject + text + HTML; every value is HTML-escaped. */
import { ianaZone, type IndonesianZone } from '../domain/local-time.js';

export type EmailLang = 'id' | 'en';

/** Every notice states its times in the holder's own zone (src/domain/local-time.ts: from the NIK's province). */
interface Notice {
  zone: IndonesianZone;
}

export interface EmailData {
  /** Activation link and code (SOP step 4: "tautan aktivasi" + "PIN aktivasi"). */
  activation: Notice & { name: string; link: string; code: string; expiresAt: Date };
  /** The same after an operator resent it: the earlier link and code no longer work. */
  activation_resent: Notice & { name: string; link: string; code: string; expiresAt: Date };
  account_activated: Notice & { name: string; at: Date };
  /** A new phone became the IKD device; the previous one was signed out and revoked. */
  device_replaced: Notice & { name: string; at: Date };
  account_suspended: Notice & { name: string; at: Date; reason?: string };
  pin_changed: Notice & { name: string; at: Date };
  account_deleted: Notice & { name: string; at: Date };
  /** An operator refused the registration; the operator's own words go to the registrant. */
  registration_rejected: Notice & { name: string; at: Date; reason: string };
  /** Lupa PIN: the one-time code that lets the enrolled device set a new PIN. */
  pin_reset_code: Notice & { name: string; code: string; expiresAt: Date };
  /** The PIN was replaced through Lupa PIN; every session was ended. */
  pin_reset_done: Notice & { name: string; at: Date };
  /** The holder locked the IKD (Kunci, in the app or from a scan notice's link). */
  account_self_locked: Notice & { name: string; at: Date };
  /** A service request (Pelayanan) changed status: what happened, what to fix, where to follow it. */
  service_request_status: Notice & {
    name: string;
    number: string;
    service: string;
    status: string;
    at: Date;
    note?: string;
    corrections?: string[];
    reason?: string;
    receivedBy?: string;
    link: string;
  };
  /** One redemption attempt of the holder's QR, any outcome, with the one-tap lock link. */
  scan_notice: {
    name: string;
    /** When it happened, already in the holder's own zone ("25/11/2026 14.05 WITA"). */
    localTime: string;
    verifierName: string;
    counter?: string;
    elements: string[];
    document?: string;
    outcome: string;
    lockLink: string;
    lockExpiresAt: string;
  };
  /** To the auditor (AUDIT_CHECKPOINT_EMAIL): the signed daily checkpoint of the audit chain's head, to keep. */
  audit_checkpoint: { checkpoint: string; day: string; seq: number; head: string; kid: string; at: Date; publicKey: string };
}

export type EmailTemplate = keyof EmailData;
export const EMAIL_TEMPLATES = [
  'activation',
  'activation_resent',
  'account_activated',
  'device_replaced',
  'account_suspended',
  'pin_changed',
  'account_deleted',
  'audit_checkpoint',
  'registration_rejected',
  'pin_reset_code',
  'pin_reset_done',
  'account_self_locked',
  'scan_notice',
  'service_request_status',
] as const satisfies readonly EmailTemplate[];

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** A paragraph is plain text, or text with one link, or the activation code set apart, or a long string to copy whole. */
type Block = { p: string } | { link: string; label: string } | { code: string; label: string } | { verbatim: string; label: string };

interface Body {
  subject: string;
  greeting: string;
  blocks: Block[];
}

const SIGNATURE: Record<EmailLang, string> = {
  id: 'Direktorat Jenderal Kependudukan dan Pencatatan Sipil\nKementerian Dalam Negeri',
  en: 'Directorate General of Population and Civil Registration\nMinistry of Home Affairs',
};

const NOT_YOU: Record<EmailLang, string> = {
  id: 'Jika ini bukan Anda, segera hubungi Call Center Kependudukan atau datangi kantor Disdukcapil terdekat.',
  en: 'If this was not you, contact the Population Call Center or visit your nearest Disdukcapil office right away.',
};

const NEVER_SHARE: Record<EmailLang, string> = {
  id: 'Petugas Dukcapil tidak akan pernah meminta kode ini. Jangan berikan kepada siapa pun.',
  en: 'Dukcapil staff will never ask for this code. Do not share it with anyone.',
};

/** Times the way a resident reads them, in their own zone: "24 November 2026 15.00 WITA". */
export function formatTime(at: Date, lang: EmailLang, zone: IndonesianZone): string {
  const text = new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', {
    timeZone: ianaZone(zone),
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(at);
  return `${text} ${zone}`;
}

const bodies: { [T in EmailTemplate]: (d: EmailData[T], lang: EmailLang) => Body } = {
  activation: (d, lang) =>
    lang === 'id'
      ? {
          subject: 'Aktivasi Identitas Kependudukan Digital (IKD)',
          greeting: `Yth. ${d.name},`,
          blocks: [
            { p: 'Verifikasi data Anda telah disetujui petugas Disdukcapil. Untuk mengaktifkan IKD, buka tautan berikut dan masukkan kode aktivasi, lalu buat PIN Anda sendiri.' },
            { link: d.link, label: 'Tautan aktivasi' },
            { code: d.code, label: 'Kode aktivasi' },
            { p: `Tautan dan kode berlaku sampai ${formatTime(d.expiresAt, lang, d.zone)} dan hanya dapat dipakai satu kali. Setelah 5 kali kode salah, minta petugas mengirim ulang.` },
            { p: NEVER_SHARE.id },
          ],
        }
      : {
          subject: 'Activate your Digital Population Identity (IKD)',
          greeting: `Dear ${d.name},`,
          blocks: [
            { p: 'A Disdukcapil officer has approved your verification. To activate your IKD, open the link below, enter the activation code, then choose your own PIN.' },
            { link: d.link, label: 'Activation link' },
            { code: d.code, label: 'Activation code' },
            { p: `The link and code are valid until ${formatTime(d.expiresAt, lang, d.zone)} and work once. After 5 wrong codes, ask an officer to resend them.` },
            { p: NEVER_SHARE.en },
          ],
        },
  activation_resent: (d, lang) => {
    const base = bodies.activation(d, lang);
    return lang === 'id'
      ? {
          ...base,
          subject: 'Tautan aktivasi IKD baru',
          blocks: [{ p: 'Petugas Disdukcapil mengirim ulang aktivasi Anda. Tautan dan kode sebelumnya tidak berlaku lagi.' }, ...base.blocks],
        }
      : {
          ...base,
          subject: 'Your new IKD activation link',
          blocks: [{ p: 'A Disdukcapil officer resent your activation. The earlier link and code no longer work.' }, ...base.blocks],
        };
  },
  account_activated: (d, lang) =>
    lang === 'id'
      ? {
          subject: 'IKD Anda telah aktif',
          greeting: `Yth. ${d.name},`,
          blocks: [
            { p: `Identitas Kependudukan Digital Anda aktif sejak ${formatTime(d.at, lang, d.zone)}. Masuk ke aplikasi dengan PIN yang Anda buat.` },
            { p: NOT_YOU.id },
          ],
        }
      : {
          subject: 'Your IKD is active',
          greeting: `Dear ${d.name},`,
          blocks: [
            { p: `Your Digital Population Identity has been active since ${formatTime(d.at, lang, d.zone)}. Log in to the app with the PIN you chose.` },
            { p: NOT_YOU.en },
          ],
        },
  device_replaced: (d, lang) =>
    lang === 'id'
      ? {
          subject: 'IKD Anda dipindahkan ke perangkat baru',
          greeting: `Yth. ${d.name},`,
          blocks: [
            { p: `Pada ${formatTime(d.at, lang, d.zone)} IKD Anda diaktifkan di perangkat baru. Perangkat lama telah dicabut: sesi dan kode QR-nya tidak berlaku lagi.` },
            { p: NOT_YOU.id },
          ],
        }
      : {
          subject: 'Your IKD moved to a new device',
          greeting: `Dear ${d.name},`,
          blocks: [
            { p: `On ${formatTime(d.at, lang, d.zone)} your IKD was activated on a new device. The previous device was revoked: its sessions and QR codes no longer work.` },
            { p: NOT_YOU.en },
          ],
        },
  account_suspended: (d, lang) =>
    lang === 'id'
      ? {
          subject: 'IKD Anda dibekukan',
          greeting: `Yth. ${d.name},`,
          blocks: [
            { p: `Pada ${formatTime(d.at, lang, d.zone)} petugas Disdukcapil membekukan IKD Anda${d.reason ? ` (alasan: ${d.reason})` : ''}. Perangkat, sesi dan kode QR Anda tidak berlaku lagi.` },
            { p: 'Untuk memakai IKD kembali, daftar ulang dari perangkat Anda dan lakukan verifikasi di kantor Disdukcapil atau melalui panggilan video.' },
            { p: NOT_YOU.id },
          ],
        }
      : {
          subject: 'Your IKD has been suspended',
          greeting: `Dear ${d.name},`,
          blocks: [
            { p: `On ${formatTime(d.at, lang, d.zone)} a Disdukcapil officer suspended your IKD${d.reason ? ` (reason: ${d.reason})` : ''}. Your device, sessions and QR codes no longer work.` },
            { p: 'To use IKD again, register again from your device and get verified at a Disdukcapil office or by video call.' },
            { p: NOT_YOU.en },
          ],
        },
  pin_changed: (d, lang) =>
    lang === 'id'
      ? {
          subject: 'PIN IKD Anda telah diubah',
          greeting: `Yth. ${d.name},`,
          blocks: [{ p: `PIN IKD Anda diubah pada ${formatTime(d.at, lang, d.zone)}.` }, { p: NOT_YOU.id }],
        }
      : {
          subject: 'Your IKD PIN was changed',
          greeting: `Dear ${d.name},`,
          blocks: [{ p: `Your IKD PIN was changed on ${formatTime(d.at, lang, d.zone)}.` }, { p: NOT_YOU.en }],
        },
  account_deleted: (d, lang) =>
    lang === 'id'
      ? {
          subject: 'IKD Anda telah dihapus',
          greeting: `Yth. ${d.name},`,
          blocks: [
            { p: `IKD Anda dihapus pada ${formatTime(d.at, lang, d.zone)}. Semua sesi dan kode QR telah dicabut. Riwayat akses tetap disimpan sesuai ketentuan.` },
            { p: NOT_YOU.id },
          ],
        }
      : {
          subject: 'Your IKD was deleted',
          greeting: `Dear ${d.name},`,
          blocks: [
            { p: `Your IKD was deleted on ${formatTime(d.at, lang, d.zone)}. All sessions and QR codes were revoked. The access history is kept as the law requires.` },
            { p: NOT_YOU.en },
          ],
        },
  registration_rejected: (d, lang) =>
    lang === 'id'
      ? {
          subject: 'Pendaftaran IKD Anda tidak disetujui',
          greeting: `Yth. ${d.name},`,
          blocks: [
            { p: `Pada ${formatTime(d.at, lang, d.zone)} petugas Disdukcapil tidak menyetujui pendaftaran IKD Anda.` },
            { p: `Alasan dari petugas: ${d.reason}` },
            { p: 'Anda dapat mendaftar ulang dari aplikasi IKD setelah hal di atas dibereskan, atau datang ke kantor Disdukcapil terdekat dengan membawa KTP-el.' },
            { p: NOT_YOU.id },
          ],
        }
      : {
          subject: 'Your IKD registration was not approved',
          greeting: `Dear ${d.name},`,
          blocks: [
            { p: `On ${formatTime(d.at, lang, d.zone)} a Disdukcapil officer did not approve your IKD registration.` },
            { p: `The officer's reason: ${d.reason}` },
            { p: 'You can register again from the IKD app once this is sorted out, or visit your nearest Disdukcapil office with your KTP-el.' },
            { p: NOT_YOU.en },
          ],
        },
  pin_reset_code: (d, lang) =>
    lang === 'id'
      ? {
          subject: 'Kode Lupa PIN IKD',
          greeting: `Yth. ${d.name},`,
          blocks: [
            { p: 'Ada permintaan mengganti PIN IKD dari ponsel yang terdaftar. Masukkan kode berikut di aplikasi IKD pada ponsel itu, lalu buat PIN baru.' },
            { code: d.code, label: 'Kode Lupa PIN' },
            { p: `Kode berlaku sampai ${formatTime(d.expiresAt, lang, d.zone)} dan hanya dapat dipakai satu kali. Setelah 5 kali kode salah, minta kode baru.` },
            { p: NEVER_SHARE.id },
            { p: NOT_YOU.id },
          ],
        }
      : {
          subject: 'Your IKD forgotten-PIN code',
          greeting: `Dear ${d.name},`,
          blocks: [
            { p: 'Someone asked to replace your IKD PIN from your enrolled phone. Enter this code in the IKD app on that phone, then choose a new PIN.' },
            { code: d.code, label: 'Forgotten-PIN code' },
            { p: `The code is valid until ${formatTime(d.expiresAt, lang, d.zone)} and works once. After 5 wrong codes, ask for a new one.` },
            { p: NEVER_SHARE.en },
            { p: NOT_YOU.en },
          ],
        },
  pin_reset_done: (d, lang) =>
    lang === 'id'
      ? {
          subject: 'PIN IKD Anda telah diganti (Lupa PIN)',
          greeting: `Yth. ${d.name},`,
          blocks: [
            { p: `PIN IKD Anda diganti melalui Lupa PIN pada ${formatTime(d.at, lang, d.zone)}. Semua sesi yang terbuka telah diakhiri.` },
            { p: NOT_YOU.id },
          ],
        }
      : {
          subject: 'Your IKD PIN was replaced (forgotten PIN)',
          greeting: `Dear ${d.name},`,
          blocks: [
            { p: `Your IKD PIN was replaced through "forgot PIN" on ${formatTime(d.at, lang, d.zone)}. Every open session was ended.` },
            { p: NOT_YOU.en },
          ],
        },
  account_self_locked: (d, lang) =>
    lang === 'id'
      ? {
          subject: 'IKD Anda dikunci',
          greeting: `Yth. ${d.name},`,
          blocks: [
            { p: `IKD Anda dikunci pada ${formatTime(d.at, lang, d.zone)}. Sesi dan kode QR yang masih berlaku telah dicabut; tidak ada instansi yang dapat memindai IKD Anda.` },
            { p: 'Untuk membuka kunci, buka aplikasi IKD di perangkat Anda, pilih "Buka kunci" dan masukkan PIN Anda.' },
            { p: NOT_YOU.id },
          ],
        }
      : {
          subject: 'Your IKD is locked',
          greeting: `Dear ${d.name},`,
          blocks: [
            { p: `Your IKD was locked on ${formatTime(d.at, lang, d.zone)}. Its sessions and live QR codes were revoked; no institution can scan your IKD.` },
            { p: 'To unlock it, open the IKD app on your device, choose "Unlock" and enter your PIN.' },
            { p: NOT_YOU.en },
          ],
        },
  scan_notice: (d, lang) =>
    lang === 'id'
      ? {
          subject: `IKD Anda dipindai oleh ${d.verifierName}`,
          greeting: `Yth. ${d.name},`,
          blocks: [
            { p: `Instansi: ${d.verifierName}${d.counter ? ` (${d.counter})` : ''}` },
            { p: `Waktu: ${d.localTime}` },
            { p: `Yang diminta: ${scanWhat(d, lang)}` },
            { p: `Hasil: ${OUTCOME_TEXT.id[d.outcome] ?? d.outcome}` },
            { link: d.lockLink, label: 'Bukan saya? Kunci IKD saya' },
            { p: `Tautan ini dapat dipakai satu kali sampai ${d.lockExpiresAt}. Pemberitahuan ini dapat dimatikan di aplikasi IKD.` },
          ],
        }
      : {
          subject: `Your IKD was scanned by ${d.verifierName}`,
          greeting: `Dear ${d.name},`,
          blocks: [
            { p: `Institution: ${d.verifierName}${d.counter ? ` (${d.counter})` : ''}` },
            { p: `Time: ${d.localTime}` },
            { p: `Asked for: ${scanWhat(d, lang)}` },
            { p: `Outcome: ${OUTCOME_TEXT.en[d.outcome] ?? d.outcome}` },
            { link: d.lockLink, label: 'Not you? Lock my IKD' },
            { p: `This link works once, until ${d.lockExpiresAt}. You can turn these notices off in the IKD app.` },
          ],
        },
  service_request_status: (d, lang) => {
    const status = SERVICE_STATUS_TEXT[lang][d.status] ?? d.status;
    const when = formatTime(d.at, lang, d.zone);
    const id = lang === 'id';
    const blocks: Block[] = [
      { p: id ? `Permohonan ${d.service} nomor ${d.number}: ${status} (${when}).` : `Request ${d.number} (${d.service}): ${status} (${when}).` },
    ];
    if (d.corrections?.length) blocks.push({ p: `${id ? 'Yang perlu diperbaiki' : 'To correct'}: ${d.corrections.join(', ')}` });
    if (d.reason) blocks.push({ p: `${id ? 'Alasan' : 'Reason'}: ${d.reason}` });
    if (d.receivedBy) blocks.push({ p: `${id ? 'Diterima oleh' : 'Received by'}: ${d.receivedBy}` });
    if (d.note) blocks.push({ p: `${id ? 'Catatan petugas' : 'Officer\'s note'}: ${d.note}` });
    blocks.push({ link: d.link, label: id ? 'Lihat di Pemantauan Pelayanan' : 'Follow it in the IKD app' });
    return {
      subject: id ? `Permohonan ${d.number}: ${status}` : `Request ${d.number}: ${status}`,
      greeting: id ? `Yth. ${d.name},` : `Dear ${d.name},`,
      blocks,
    };
  },
  audit_checkpoint: (d, lang) =>
    lang === 'id'
      ? {
          subject: `Checkpoint log audit IKD ${d.day} (seq ${d.seq})`,
          greeting: 'Yth. Auditor,',
          blocks: [
            { p: `Ini checkpoint harian log audit IKD, ditandatangani ${formatTime(d.at, lang, 'WIB')} dengan kunci layanan ${d.kid} (Ed25519). Simpan e-mail ini di luar sistem IKD: siapa pun yang dapat menulis ke basis data dapat menghitung ulang rantai hash, tetapi tidak dapat memalsukan tanda tangan ini.` },
            { p: `Isinya: posisi kepala rantai seq ${d.seq}, hash kepala ${d.head}, hari ${d.day}.` },
            { verbatim: d.checkpoint, label: 'Checkpoint bertanda tangan (JWS compact, EdDSA)' },
            { verbatim: d.publicKey, label: `Kunci publik ${d.kid} (JWK x, base64url)` },
            { p: "Untuk memeriksa: npm run audit:verify -- --checkpoint '<checkpoint di atas>' (atau nama berkas e-mail ini). Perintah gagal bila satu baris audit sampai seq ini diubah atau dihapus, walau semua hash dihitung ulang." },
          ],
        }
      : {
          subject: `IKD audit log checkpoint ${d.day} (seq ${d.seq})`,
          greeting: 'Dear auditor,',
          blocks: [
            { p: `This is the daily checkpoint of the IKD audit log, signed ${formatTime(d.at, lang, 'WIB')} with service key ${d.kid} (Ed25519). Keep this e-mail outside the IKD systems: anyone who can write the database can recompute the hash chain, but cannot forge this signature.` },
            { p: `It states: chain head at seq ${d.seq}, head hash ${d.head}, day ${d.day}.` },
            { verbatim: d.checkpoint, label: 'Signed checkpoint (compact JWS, EdDSA)' },
            { verbatim: d.publicKey, label: `Public key ${d.kid} (JWK x, base64url)` },
            { p: "To check it: npm run audit:verify -- --checkpoint '<the checkpoint above>' (or the name of a file holding this e-mail). It fails if any audit row up to this seq was changed or deleted, even with every hash recomputed." },
          ],
        },
};

/** How a service request's status reads in a notice. */
const SERVICE_STATUS_TEXT: Record<EmailLang, Record<string, string>> = {
  id: {
    submitted: 'diterima dan menunggu pemeriksaan',
    in_review: 'sedang diperiksa petugas',
    needs_correction: 'perlu dilengkapi',
    rejected: 'ditolak',
    cancelled: 'dibatalkan',
    processing: 'sedang diproses di SIAK',
    completed: 'selesai',
    picked_up: 'sudah diambil',
    out_for_delivery: 'sedang diantar',
    delivered: 'sudah diantar',
    delivery_failed: 'gagal diantar; akan diantar ulang',
  },
  en: {
    submitted: 'received, waiting for review',
    in_review: 'being reviewed by an officer',
    needs_correction: 'needs correction',
    rejected: 'rejected',
    cancelled: 'cancelled',
    processing: 'being processed in SIAK',
    completed: 'completed',
    picked_up: 'picked up',
    out_for_delivery: 'out for delivery',
    delivered: 'delivered',
    delivery_failed: 'delivery failed; it will be tried again',
  },
};

const OUTCOME_TEXT: Record<EmailLang, Record<string, string>> = {
  id: {
    verified: 'berhasil: data ditampilkan',
    already_used: 'ditolak: kode QR sudah pernah dipakai',
    expired: 'ditolak: kode QR kedaluwarsa',
    revoked: 'ditolak: kode QR sudah dicabut',
    account_inactive: 'ditolak: IKD tidak aktif',
    not_allowed: 'ditolak: instansi tidak boleh menerima dokumen ini',
    nothing_to_disclose: 'ditolak: tidak ada data yang boleh dilihat instansi ini',
    refused: 'ditolak: Anda memblokir instansi ini',
    login: 'masuk ke layanan daring dengan IKD (disetujui dengan PIN)',
  },
  en: {
    verified: 'verified: the data was shown',
    already_used: 'refused: the QR code had been used already',
    expired: 'refused: the QR code had expired',
    revoked: 'refused: the QR code had been revoked',
    account_inactive: 'refused: the IKD is not active',
    not_allowed: 'refused: the institution may not receive this document',
    nothing_to_disclose: 'refused: nothing this institution may see',
    refused: 'refused: you blocked this institution',
    login: 'signed in to the online service with IKD (approved with the PIN)',
  },
};

/** What a scan notice says was asked for: the document, or the KTP elements. */
function scanWhat(d: EmailData['scan_notice'], lang: EmailLang): string {
  if (d.document && d.document !== 'ktp') return lang === 'id' ? `dokumen ${d.document}` : `document ${d.document}`;
  const elements = d.elements.length ? d.elements.join(', ') : lang === 'id' ? 'tidak ada data' : 'no data';
  return lang === 'id' ? `KTP digital (${elements})` : `digital KTP (${elements})`;
}

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function textOf(body: Body, lang: EmailLang): string {
  const lines = [body.greeting, ''];
  for (const block of body.blocks) {
    if ('p' in block) lines.push(block.p);
    else if ('link' in block) lines.push(`${block.label}:`, block.link);
    // On its own line, unbroken, so it can be copied or cut out of the saved e-mail whole.
    else if ('verbatim' in block) lines.push(`${block.label}:`, block.verbatim);
    // The code stands alone as one group of 6 digits, so nobody (and no test) has to guess its shape.
    else lines.push(`${block.label}: ${block.code}`);
    lines.push('');
  }
  lines.push(SIGNATURE[lang]);
  return lines.join('\n') + '\n';
}

function htmlOf(body: Body, lang: EmailLang): string {
  const parts = body.blocks.map((block) => {
    if ('p' in block) return `<p>${escapeHtml(block.p)}</p>`;
    if ('link' in block) {
      const href = escapeHtml(block.link);
      return `<p>${escapeHtml(block.label)}:<br><a href="${href}" style="font-weight:bold">${href}</a></p>`;
    }
    if ('verbatim' in block) {
      return `<p>${escapeHtml(block.label)}:</p>\n<pre style="white-space:pre-wrap;word-break:break-all;font-family:monospace">${escapeHtml(block.verbatim)}</pre>`;
    }
    return `<p>${escapeHtml(block.label)}:<br><span style="font-size:28px;font-family:monospace;letter-spacing:4px;font-weight:bold">${escapeHtml(block.code)}</span></p>`;
  });
  return [
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(body.subject)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;line-height:1.5;color:#1b1b1b">',
    `<p>${escapeHtml(body.greeting)}</p>`,
    ...parts,
    `<p style="color:#555">${escapeHtml(SIGNATURE[lang]).replace(/\n/g, '<br>')}</p>`,
    '</body></html>',
  ].join('\n');
}

export function renderEmail<T extends EmailTemplate>(template: T, lang: EmailLang, data: EmailData[T]): RenderedEmail {
  const body = bodies[template](data, lang);
  return { subject: body.subject, text: textOf(body, lang), html: htmlOf(body, lang) };
}
