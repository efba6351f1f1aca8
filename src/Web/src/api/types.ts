// Shapes of the server's JSON answers, as the Host writes them (src/Host/Api). One place, used by every page.

export type Role = 'agent' | 'supervisor' | 'admin';

export interface Me { user: string; role: Role; method: string; expiresAt: string | null }
export interface LoginAnswer { token: string; user: string; role: Role; expiresAt: string }

export type AgentStateName = 'LoggedOut' | 'Available' | 'Ringing' | 'OnCall' | 'WrapUp' | 'Paused';

export interface QueueCall {
  interactionId: string; state: string; position: number; basePriority: number; effectivePriority: number;
  waitedSeconds: number; agent: string | null; ringingAgents: string[]; tags: string[]; data: Record<string, string>;
}
export interface QueueInfo {
  name: string; strategy: string; staffedAgents: number; averageHandleTimeSeconds: number; retired: boolean; calls: QueueCall[];
}
export interface AgentInfo { agent: string; state: AgentStateName; pauseReason: string | null; interactionId: string | null; queues: string[] }
/** GET /api/agents/{ext}: the state, plus what the desktop needs (wrap-up length, queues to transfer to). */
export interface AgentDesk extends AgentInfo { wrapUpSeconds: number; transferQueues: string[] }
export interface QueuesSnapshot { at: string; abandoned: number; overflowed: number; completed: number; queues: QueueInfo[]; agents: AgentInfo[] }

export interface Supervision { id: string; supervisor: string; mode: string; joined: boolean }
export interface LiveCall {
  id: string; interactionId: string | null; kind: string; caller: string | null; dialed: string | null; startedAt: string; answeredAt: string | null;
  durationSeconds: number; agent: string | null; queue: string | null; priority: number | null; ivrPath: string | null;
  supervision: Supervision | null;
  /** On a cluster node: the node the call's media is on (other nodes' calls come from the cluster bus). */
  node?: string | null;
}

// The statistics API (docs/metrics.md §8): JSON keys as documented there.
/** One queue × interval row (or a queue's whole-range total) of GET /api/stats/queues. */
export interface QueueStatsRow {
  scope: 'interval' | 'total'; queue: string; intervalStart: string; intervalEnd: string;
  offered: number; answered: number; abandoned: number; shortAbandoned: number; overflowed: number; answeredWithinThreshold: number;
  serviceLevel: number | null; abandonRate: number | null; asaSeconds: number | null; avgWaitSeconds: number | null;
  longestWaitSeconds: number | null; ahtSeconds: number | null; waiting: number; other: number;
  serviceLevelSeconds: number; shortAbandonSeconds: number; answeredWaitSeconds: number;
}
/** One agent × interval row (or an agent's total) of GET /api/stats/agents. */
export interface AgentStatsRow {
  scope: 'interval' | 'total'; agent: string; intervalStart: string; intervalEnd: string; handled: number;
  talkSeconds: number; wrapUpSeconds: number; ringingSeconds: number; availableSeconds: number; pausedSeconds: number;
  pausedSecondsByReason: Record<string, number>; staffedSeconds: number; occupancy: number | null;
}
export interface StatsReport<R> { timeZone: string; interval: string; from: string; to: string; now: string; rows: R[]; totals: R[] }
export interface RealtimeQueue {
  queue: string; waiting: number; longestWaitSeconds: number;
  agentsLoggedOut: number; agentsAvailable: number; agentsRinging: number; agentsOnCall: number; agentsWrapUp: number; agentsPaused: number;
  offeredToday: number; answeredToday: number; abandonedToday: number; shortAbandonedToday: number; answeredWithinThresholdToday: number;
  serviceLevelToday: number | null; abandonRateToday: number | null;
}
export interface RealtimeAgent { agent: string; state: AgentStateName; reason: string | null; since: string | null; queues: string[] }
export interface Realtime { now: string; timeZone: string; today: { from: string; to: string }; queues: RealtimeQueue[]; agents: RealtimeAgent[] }

export interface Alert { id: number; kind: string; callId: string | null; caller: string | null; createdAt: string; payload?: string }

export interface CallRecord {
  id: string; caller: string; dialed: string; startedAt: string; answeredAt: string | null; endedAt: string | null;
  ivrPath: string | null; variables: Record<string, unknown> | null; queue: string | null; priority: number | null;
  waitMs: number | null; agent: string | null; talkMs: number | null; outcome: string | null; hangupCause: string | null;
  hangupSide: string | null; disposition?: string | null; dispositions?: string[]; dispositionNote?: string | null; csat?: number | null;
}
export interface CallPage { page: number; pageSize: number; total: number; items: CallRecord[] }
export interface TimelineEntry { at: string; type: string; data: Record<string, unknown> }
export interface Recording {
  id: number; callId: string; format: string; startedAt: string; durationMs: number | null; sizeBytes: number | null;
  status: string; audio: string;
}

export interface ScreenPop {
  agent: string;
  interaction: null | {
    id: string; callId: string | null; queue: string; state: string; ringing: boolean; priority: number; waitedSeconds: number; tags: string[];
    data: Record<string, string>; caller: string | null; dialed: string | null; ivrPath: string | null; variables: Record<string, unknown> | null;
  };
}
export interface History { agent: string; callId?: string; interactionId?: string; caller: string | null; dialed?: string; ivrPath?: string | null; variables?: string | null; calls: { id: string; startedAt: string; queue: string | null; agent: string | null; outcome: string | null; talkMs: number | null; disposition: string | null }[] }
export interface TransferAnswer { agent: string; target: string; kind: 'queue' | 'extension'; transferred: boolean; callId: string }

export interface ConfigProblem { file: string; line: number; column: number; message: string }
export interface ConfigFileAnswer { file: string; path: string; content: string; sha256: string; version: number }
export interface ValidateAnswer { valid: boolean; errors: ConfigProblem[]; flows: unknown }
export interface SaveAnswer { saved: boolean; version?: number; errors?: ConfigProblem[]; error?: string; deployed?: boolean | null }
export interface ConfigVersion { version: number; savedAt: string; savedBy: string; comment: string | null; sha256: string; content?: string }
export interface SimulateAnswer { exitCode: number; transcript: string; errors: string }
export interface GraphAnswer { flows?: { name: string; numbers: string[]; mermaid: string }[]; errors?: ConfigProblem[] }

export interface UserRow { user: string; name: string | null; role: Role | null; consoleAccess: boolean }
export interface AuditRow { id: number; at: string; actor: string; role: string | null; source: string | null; action: string; target: string | null; outcome: string; detail: string | null }

/** One Server-Sent Event of /api/events. */
export interface ServerEvent { sequence: number; type: string; callId: string | null; occurredAt: string; payload: Record<string, unknown> }

export interface DispositionCodes { queues: Record<string, { codes: string[]; required: boolean }> }
export interface DispositionEntry { callId: string; queue: string | null; codes: string[]; note: string | null; setBy: string; source: string; setAt: string }

export interface CallbackTask {
  id: string; status: string; state: string; queue: string; number: string; name: string | null; note: string | null; position: number;
  attempts: number; requestedAt: string; notBefore: string | null; nextAttemptAt: string | null; deadline: string | null;
  closedAt: string | null; detail: string | null; callId: string | null; agent: string | null; source: string; requestedBy: string | null;
}
export interface CallbackTasks { agent: string; queues: string[]; items: CallbackTask[] }

export type VoicemailStatus = 'new' | 'heard' | 'handled' | 'discarded';
export interface Voicemail {
  id: number; mailbox: string; callId: string | null; caller: string | null; createdAt: string; durationMs: number | null; sizeBytes: number | null;
  status: VoicemailStatus; heardAt: string | null; heardBy: string | null; handledAt: string | null; handledBy: string | null; replyMs: number | null; audio: string;
}
export interface VoicemailPage { page: number; pageSize: number; items: Voicemail[] }
