/** The closed set of error codes of the API, their HTTP statuses and their human titles (id, en). */

export const errorCatalog = {
  invalid_request: { status: 400, id: 'Permintaan tidak valid', en: 'Invalid request' },
  weak_pin: { status: 400, id: 'PIN terlalu lemah', en: 'PIN too weak' },
  qr_invalid: { status: 400, id: 'Kode QR tidak valid', en: 'Invalid QR code' },
  token_invalid: { status: 400, id: 'Token tidak valid', en: 'Invalid token' },
  unauthorized: { status: 401, id: 'Autentikasi diperlukan', en: 'Authentication required' },
  signature_invalid: { status: 401, id: 'Tanda tangan perangkat tidak valid', en: 'Invalid device signature' },
  invalid_credentials: { status: 401, id: 'Kredensial salah', en: 'Invalid credentials' },
  activation_invalid: { status: 401, id: 'Aktivasi tidak valid', en: 'Invalid activation' },
  login_failed: { status: 401, id: 'Login gagal', en: 'Login failed' },
  pin_invalid: { status: 401, id: 'PIN salah', en: 'Wrong PIN' },
  pin_reset_invalid: { status: 401, id: 'Kode Lupa PIN tidak valid', en: 'Invalid PIN reset' },
  verifier_unauthorized: { status: 401, id: 'Verifikator tidak dikenal', en: 'Verifier not authorised' },
  forbidden: { status: 403, id: 'Akses ditolak', en: 'Forbidden' },
  csrf_failed: { status: 403, id: 'Permintaan lintas situs ditolak', en: 'Cross-site request refused' },
  account_suspended: { status: 403, id: 'Akun dibekukan', en: 'Account suspended' },
  device_replaced: { status: 403, id: 'Perangkat ini sudah diganti', en: 'This device was replaced' },
  account_self_locked: { status: 403, id: 'IKD dikunci oleh pemiliknya; buka kunci di aplikasi', en: 'IKD locked by its holder; unlock it in the app' },
  holder_refused: { status: 403, id: 'Pemilik IKD menolak akses instansi ini', en: 'The holder refuses this institution' },
  account_inactive: { status: 403, id: 'Akun tidak aktif', en: 'Account inactive' },
  document_not_allowed: { status: 403, id: 'Verifikator tidak boleh menerima dokumen ini', en: 'Document type not allowed for this verifier' },
  kind_not_allowed: { status: 403, id: 'Instansi tidak boleh menulis jenis data ini', en: 'Data kind not allowed for this institution' },
  elements_not_allowed: { status: 403, id: 'Elemen data di luar izin verifikator', en: 'Elements outside this verifier’s allowance' },
  nothing_to_disclose: { status: 403, id: 'Tidak ada data yang boleh ditampilkan; minta QR lain', en: 'Nothing this verifier may see; ask for another QR' },
  lock_link_invalid: { status: 400, id: 'Tautan kunci tidak valid', en: 'Invalid lock link' },
  not_found: { status: 404, id: 'Tidak ditemukan', en: 'Not found' },
  resident_not_found: { status: 404, id: 'Penduduk tidak ditemukan', en: 'Resident not found' },
  document_not_found: { status: 404, id: 'Dokumen tidak ditemukan', en: 'Document not found' },
  method_not_allowed: { status: 405, id: 'Metode tidak diizinkan', en: 'Method not allowed' },
  conflict: { status: 409, id: 'Konflik', en: 'Conflict' },
  registration_not_pending: { status: 409, id: 'Pendaftaran tidak menunggu verifikasi', en: 'Registration is not pending' },
  token_already_used: { status: 409, id: 'Token sudah digunakan', en: 'Token already used' },
  lock_link_used: { status: 409, id: 'Tautan kunci sudah dipakai', en: 'Lock link already used' },
  invalid_transition: { status: 409, id: 'Perubahan status tidak diizinkan', en: 'Status change not allowed' },
  already_rated: { status: 409, id: 'Permohonan ini sudah dinilai', en: 'This request was rated already' },
  token_revoked: { status: 409, id: 'Token dicabut', en: 'Token revoked' },
  qr_expired: { status: 410, id: 'Kode QR kedaluwarsa', en: 'QR code expired' },
  activation_expired: { status: 410, id: 'Aktivasi kedaluwarsa', en: 'Activation expired' },
  lock_link_expired: { status: 410, id: 'Tautan kunci kedaluwarsa', en: 'Lock link expired' },
  token_expired: { status: 410, id: 'Token kedaluwarsa', en: 'Token expired' },
  pin_reset_expired: { status: 410, id: 'Kode Lupa PIN kedaluwarsa', en: 'PIN reset code expired' },
  request_expired: { status: 410, id: 'Permintaan kedaluwarsa', en: 'Request expired' },
  payload_too_large: { status: 413, id: 'Isi permintaan terlalu besar', en: 'Payload too large' },
  unsupported_media_type: { status: 415, id: 'Jenis konten tidak didukung', en: 'Unsupported media type' },
  registration_rejected: { status: 422, id: 'Pendaftaran ditolak', en: 'Registration rejected' },
  requirements_missing: { status: 422, id: 'Persyaratan belum lengkap', en: 'Required attachments missing' },
  approval_requirements_unmet: { status: 422, id: 'Syarat persetujuan belum terpenuhi', en: 'Approval requirements not met' },
  operator_locked: { status: 423, id: 'Operator terkunci', en: 'Operator locked' },
  account_locked: { status: 423, id: 'Akun terkunci', en: 'Account locked' },
  too_many_attempts: { status: 429, id: 'Terlalu banyak percobaan', en: 'Too many attempts' },
  rate_limited: { status: 429, id: 'Terlalu banyak permintaan', en: 'Too many requests' },
  internal_error: { status: 500, id: 'Kesalahan internal', en: 'Internal error' },
  not_ready: { status: 503, id: 'Layanan belum siap', en: 'Service not ready' },
  service_unavailable: { status: 503, id: 'Layanan sementara tidak tersedia', en: 'Service temporarily unavailable' },
} as const satisfies Record<string, { status: number; id: string; en: string }>;

export type ErrorCode = keyof typeof errorCatalog;

export interface FieldError {
  path: string;
  message: string;
}

export interface AppErrorOptions {
  detail?: string;
  errors?: FieldError[];
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
  /** Extra problem members (RFC 9457 extensions), e.g. `attemptsRemaining` on a device-signed login_failed. */
  extensions?: Record<string, string | number | boolean | string[]>;
  cause?: unknown;
}

/** A domain or HTTP failure with a stable code; the error handler turns it into problem+json. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail?: string;
  readonly errors?: FieldError[];
  readonly retryAfter?: number;
  readonly extensions?: Record<string, string | number | boolean | string[]>;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    super(options.detail ?? errorCatalog[code].en, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = errorCatalog[code].status;
    this.detail = options.detail;
    this.errors = options.errors;
    this.retryAfter = options.retryAfter;
    this.extensions = options.extensions;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
