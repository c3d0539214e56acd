/** How big a PDF the public check accepts (API.md: ≤ 5 MB); the page's multipart form may add its envelope. */
export const CHECK_PDF_MAX_BYTES = 5 * 1024 * 1024;
export const CHECK_FORM_MAX_BYTES = CHECK_PDF_MAX_BYTES + 64 * 1024;
