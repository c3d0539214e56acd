/**
 * My data (UU 27/2022, the right to know): everything the service holds about the holder, as one JSON document.
 * Secrets are described, never exported: PIN hash, session and link token hashes stay out.
 */
import { asc, eq, or, sql } from 'drizzle-orm';
import { accessLog, accounts, devices, holderBlocks, lockLinks, oidcAuthorizations, oidcClients, outbox, registrations, residentSessions, verifiers } from '../../db/schema/index.js';
import type { Deps } from '../../deps.js';
import { AppError } from '../../errors.js';
import type { ResidentPrincipal } from '../credential/login.js';
import { listHolderDataBalikan } from './data-balikan.js';
import { exportServiceRequests } from '../services/requests.js';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** GET /v1/me/export */
export async function exportHolderData(deps: Pick<Deps, 'db' | 'clock'>, resident: ResidentPrincipal) {
  const { db } = deps;
  const accountId = resident.accountId;
  const [account] = await db.select().from(accounts).where(eq(accounts.id, accountId));
  if (!account) throw new AppError('unauthorized');
  const [regs, devs, sessions, history, blocks, links, mails, logins] = await Promise.all([
    db.select().from(registrations).where(or(eq(registrations.accountId, accountId), eq(registrations.nik, account.nik))).orderBy(asc(registrations.createdAt)),
    db.select().from(devices).where(eq(devices.accountId, accountId)).orderBy(asc(devices.createdAt)),
    db.select().from(residentSessions).where(eq(residentSessions.accountId, accountId)).orderBy(asc(residentSessions.createdAt)),
    db
      .select({ at: accessLog.at, verifierId: accessLog.verifierId, verifierName: verifiers.name, outcome: accessLog.outcome, elements: accessLog.elements, document: accessLog.document, counter: accessLog.counter })
      .from(accessLog)
      .innerJoin(verifiers, eq(verifiers.id, accessLog.verifierId))
      .where(eq(accessLog.accountId, accountId))
      .orderBy(asc(accessLog.seq)),
    db.select({ verifierId: holderBlocks.verifierId, blockedAt: holderBlocks.blockedAt }).from(holderBlocks).where(eq(holderBlocks.accountId, accountId)),
    db.select({ createdAt: lockLinks.createdAt, expiresAt: lockLinks.expiresAt, usedAt: lockLinks.usedAt }).from(lockLinks).where(eq(lockLinks.accountId, accountId)),
    // E-mails sent to the holder: what and when (bodies hold link tokens and codes, so they are not repeated here).
    db.select({ template: outbox.template, subject: outbox.subject, status: outbox.status, createdAt: outbox.createdAt, sentAt: outbox.sentAt }).from(outbox).where(sql`${outbox.to} = ${account.email} and ${outbox.status} <> 'draft'`).orderBy(asc(outbox.seq)),
    // Masuk dengan IKD: the login requests the holder approved or denied (never the codes or tokens).
    db
      .select({ clientId: oidcClients.id, clientName: oidcClients.name, scopes: oidcAuthorizations.scopes, status: oidcAuthorizations.status, decidedAt: oidcAuthorizations.decidedAt })
      .from(oidcAuthorizations)
      .innerJoin(oidcClients, eq(oidcClients.id, oidcAuthorizations.clientId))
      .where(eq(oidcAuthorizations.accountId, accountId))
      .orderBy(asc(oidcAuthorizations.createdAt)),
  ]);
  return {
    exportedAt: deps.clock.now().toISOString(),
    account: {
      id: account.id,
      nik: account.nik,
      email: account.email,
      phone: account.phone,
      status: account.status,
      activatedAt: iso(account.activatedAt),
      createdAt: iso(account.createdAt),
      pinFailures: account.pinFailures,
      lockedUntil: iso(account.lockedUntil),
      preferences: { scanNotifications: account.scanNotifications },
    },
    registrations: regs.map((r) => ({
      id: r.id,
      kind: r.kind,
      status: r.status,
      name: r.name,
      birthDate: r.birthDate,
      email: r.email,
      phone: r.phone,
      devicePublicKey: r.devicePublicKey,
      selfie: r.selfie ? `data:${r.selfieType ?? 'image/jpeg'};base64,${Buffer.from(r.selfie).toString('base64')}` : null,
      channel: r.channel,
      decidedAt: iso(r.decidedAt),
      createdAt: iso(r.createdAt),
      lang: r.lang,
    })),
    devices: devs.map((d) => ({ id: d.id, publicKey: d.publicKey, status: d.status, createdAt: iso(d.createdAt), revokedAt: iso(d.revokedAt) })),
    sessions: sessions.map((s) => ({ id: s.id, deviceId: s.deviceId, createdAt: iso(s.createdAt), expiresAt: iso(s.expiresAt), revokedAt: iso(s.revokedAt) })),
    accessHistory: history.map((h) => ({
      at: iso(h.at),
      verifier: { id: h.verifierId, name: h.verifierName },
      outcome: h.outcome,
      elements: h.elements,
      ...(h.document ? { document: h.document } : {}),
      ...(h.counter ? { counter: h.counter } : {}),
    })),
    dataUserBlocks: blocks.map((b) => ({ verifierId: b.verifierId, blockedAt: iso(b.blockedAt) })),
    lockLinks: links.map((l) => ({ createdAt: iso(l.createdAt), expiresAt: iso(l.expiresAt), usedAt: iso(l.usedAt) })),
    emails: mails.map((m) => ({ template: m.template, subject: m.subject, status: m.status, createdAt: iso(m.createdAt), sentAt: iso(m.sentAt) })),
    // What institutions wrote back (GET /v1/me/data-balikan's items).
    dataBalikan: (await listHolderDataBalikan(deps, resident)).items,
    // Masuk dengan IKD: which online service, which scopes, approved or denied, when.
    authorizations: logins.map((l) => ({ client: { id: l.clientId, name: l.clientName }, scopes: l.scopes, status: l.status, decidedAt: iso(l.decidedAt) })),
    // Pelayanan: each request with its details, history, attachments' metadata (not the files) and issued documents.
    serviceRequests: await exportServiceRequests(db, accountId),
  };
}
