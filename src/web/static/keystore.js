/**
 * The device key, kept in this browser's IndexedDB (origin-scoped, survives restarts, never sent anywhere).
 *
 * Why the raw secret key bytes: @noble/ed25519 signs with raw bytes, so a non-extractable WebCrypto CryptoKey
 * cannot be used with it, and WebCrypto Ed25519 is not available in every browser the service must support.
 * For this reference client that is acceptable: the key alone cannot log in (the PIN is checked server-side, and
 * five wrong PINs lock the account), the storage is per-origin and the page allows no foreign script (CSP
 * script-src 'self'), and a lost phone is handled by an operator suspending the device. A native app would keep
 * the key in the platform keystore (Android Keystore / Secure Enclave) instead.
 */

const DB_NAME = 'ikd';
const STORE = 'device';
const KEY = 'current';

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, work) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request?.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** { secretKey: Uint8Array(32), publicKey: base64url, nik, registrationId, createdAt } or null. */
export async function loadDevice() {
  try {
    return (await run('readonly', (store) => store.get(KEY))) ?? null;
  } catch {
    return null;
  }
}

export const saveDevice = (device) => run('readwrite', (store) => store.put(device, KEY));

/** Merges fields into the stored record (e.g. a new registration id for the same key). */
export async function updateDevice(fields) {
  const current = await loadDevice();
  if (current) await saveDevice({ ...current, ...fields });
}

export const forgetDevice = () => run('readwrite', (store) => store.delete(KEY));
