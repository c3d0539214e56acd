/** What every domain function and route may use; built once per process by an entry point (or by a test). */
import type { Config } from './config.js';
import type { PinHasher } from './crypto/pin.js';
import type { KeyRing } from './crypto/keyring.js';
import type { SecretBox } from './crypto/secret-box.js';
import type { Database, Db } from './db/types.js';
import type { Logger } from './logger.js';
import type { CounterPhotos } from './domain/credential/photo.js';
import type { PopulationRegistry } from './registry/port.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface Deps {
  config: Config;
  database: Database;
  db: Db;
  logger: Logger;
  clock: Clock;
  keys: KeyRing;
  registry: PopulationRegistry;
  /** argon2id + pepper; PINs only ever pass through here. */
  pins: PinHasher;
  /** Operator passwords: the same memory-hard, peppered hashing as PINs. */
  passwords: PinHasher;
  /** AES-256-GCM under a key derived from the pepper: operators' TOTP secrets at rest (src/crypto/secret-box.ts). */
  secrets: SecretBox;
  /** The stamped photo for counters: sharp with a per-holder cache on Node, the drawn PNG on Workers (photo.ts). */
  photos: CounterPhotos;
  /** The pepper itself, when it did not come from config (development: generated into the data dir). Keys activation-code hashes. */
  pepper?: string;
}
