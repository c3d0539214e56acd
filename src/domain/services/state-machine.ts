/** The service-request state machine as a table of legal transitions: who may take each one, for which fulfilment. */
import type { Fulfilment } from './catalog.js';

export const REQUEST_STATUSES = [
  'submitted',
  'in_review',
  'needs_correction',
  'rejected',
  'cancelled',
  'processing',
  'completed',
  'picked_up',
  'out_for_delivery',
  'delivered',
  'delivery_failed',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Who moves a request: the holder, an office operator (supervisors and admins too), or a courier (ANTAR DOMPET). */
export type TransitionActor = 'resident' | 'operator' | 'courier';

export interface Transition {
  from: RequestStatus;
  to: RequestStatus;
  /** Who may take it; operators may also take the courier's steps (an officer delivering himself). */
  by: TransitionActor;
  /** Only for requests with this fulfilment. */
  fulfilment?: Fulfilment;
}

export const TRANSITIONS: readonly Transition[] = [
  { from: 'submitted', to: 'in_review', by: 'operator' },
  { from: 'in_review', to: 'processing', by: 'operator' },
  { from: 'in_review', to: 'needs_correction', by: 'operator' },
  { from: 'in_review', to: 'rejected', by: 'operator' },
  { from: 'needs_correction', to: 'submitted', by: 'resident' },
  // "Only before processing": the holder may withdraw while nobody has started the work.
  { from: 'submitted', to: 'cancelled', by: 'resident' },
  { from: 'in_review', to: 'cancelled', by: 'resident' },
  { from: 'needs_correction', to: 'cancelled', by: 'resident' },
  { from: 'processing', to: 'completed', by: 'operator' },
  { from: 'completed', to: 'picked_up', by: 'operator', fulfilment: 'pickup' },
  { from: 'completed', to: 'out_for_delivery', by: 'courier', fulfilment: 'delivery' },
  { from: 'out_for_delivery', to: 'delivered', by: 'courier', fulfilment: 'delivery' },
  { from: 'out_for_delivery', to: 'delivery_failed', by: 'courier', fulfilment: 'delivery' },
  { from: 'delivery_failed', to: 'out_for_delivery', by: 'courier', fulfilment: 'delivery' },
];

/** The legal transition from → to for a request of this fulfilment, or undefined. */
export function findTransition(from: RequestStatus, to: RequestStatus, fulfilment: Fulfilment): Transition | undefined {
  return TRANSITIONS.find((t) => t.from === from && t.to === to && (t.fulfilment === undefined || t.fulfilment === fulfilment));
}

/** Whether `actor` may take `transition`: its own steps, and an operator also the courier's. */
export function actorMayTake(actor: TransitionActor, transition: Transition): boolean {
  return transition.by === actor || (actor === 'operator' && transition.by === 'courier');
}

/** The statuses `actor` may move a request to from `status` (what the operator's page offers as buttons). */
export function stepsFor(actor: TransitionActor, status: RequestStatus, fulfilment: Fulfilment): RequestStatus[] {
  return TRANSITIONS.filter((t) => t.from === status && (t.fulfilment === undefined || t.fulfilment === fulfilment) && actorMayTake(actor, t)).map(
    (t) => t.to,
  );
}

/** Statuses with nothing left to do for anyone (the attachments' retention counts from here). */
export function isClosed(status: RequestStatus, fulfilment: Fulfilment): boolean {
  if (status === 'rejected' || status === 'cancelled' || status === 'picked_up' || status === 'delivered') return true;
  return status === 'completed' && fulfilment === 'download';
}

/** Before completion: the SLA clock still runs. */
export const OPEN_STATUSES: readonly RequestStatus[] = ['submitted', 'in_review', 'needs_correction', 'processing'];

/** What a courier sees: the office's delivery requests from completion until delivered. */
export const COURIER_STATUSES: readonly RequestStatus[] = ['completed', 'out_for_delivery', 'delivery_failed'];
