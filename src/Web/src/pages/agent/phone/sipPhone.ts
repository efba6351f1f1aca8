// The browser phone's engine: JsSIP over the server's SIP WebSocket (/sip, RFC 7118), WebRTC media (ICE-lite server,
// DTLS-SRTP, Opus). The page holds no password: the server hands the signed-in agent's session the digest HA1 of its
// own extension (/api/phone/credentials). State changes are pushed to one listener (the panel); errors say which part
// failed: microphone, WebSocket, ICE or DTLS.
import type * as JsSIPModule from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { RTCSessionEvent } from 'jssip/lib/UA';
import { api } from '../../../api/client';

export type Registration = 'off' | 'connecting' | 'registered' | 'failed';
export type CallState = 'idle' | 'ringing' | 'calling' | 'connected';

export interface PhoneState {
  registration: Registration;
  call: CallState;
  peer: string;
  muted: boolean;
  held: boolean;
  error: string | null;
  /** 'test' while the pre-call test (echo 9000) runs. */
  purpose: 'work' | 'test';
}

/** Header on the server's INVITE that re-attaches a call this agent had before the page reloaded. */
const reattachHeader = 'X-Telephony-Reattach';

/**
 * Until when (ms since the epoch) an incoming supervision call is answered without a click: the supervisor page sets it
 * just before POST /api/supervise, whose call to the supervisor's own phones comes from *81/*82/*83 + the agent.
 */
let supervisionExpectedUntil = 0;
const supervisionCaller = /^\*8[123]\d+$/;

/** The supervisor asked to listen/whisper/barge from this page: answer the server's call for it when it comes. */
export function expectSupervisionCall(withinMs = 40000) { supervisionExpectedUntil = Date.now() + withinMs; }

export const initialPhone: PhoneState = { registration: 'off', call: 'idle', peer: '', muted: false, held: false, error: null, purpose: 'work' };

/** JsSIP in its own chunk (only agents who turn the phone on load it); CommonJS, so the module is its default export. */
async function loadJsSip(): Promise<typeof JsSIPModule> {
  const loaded = await import('jssip');
  return (loaded as unknown as { default?: typeof JsSIPModule }).default ?? loaded;
}

export class SipPhone {
  private ua: JsSIPModule.UA | null = null;
  private jssip: typeof JsSIPModule | null = null;
  private session: RTCSession | null = null;
  private state: PhoneState = initialPhone;
  private micId = '';
  private host = location.hostname;
  private stopping = false;
  private pendingTones = '';
  private toneTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly audio: HTMLAudioElement, private readonly onState: (s: PhoneState) => void,
    private readonly onLocalStream: (s: MediaStream | null) => void) {}

  private set(patch: Partial<PhoneState>) {
    this.state = { ...this.state, ...patch };
    this.onState(this.state);
  }

  get current() { return this.state; }

  async start() {
    try { await this.connect(); } catch (e) {
      this.set({ registration: 'failed', error: `The phone could not start: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  private async connect() {
    this.stopping = false;
    this.set({ registration: 'connecting', error: null });
    let credentials;
    try { credentials = await api.phoneCredentials(); } catch (e) {
      this.set({ registration: 'failed', error: `No phone for this account: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    const JsSIP = this.jssip ??= await loadJsSip();
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new JsSIP.WebSocketInterface(`${scheme}://${location.host}${credentials.path}`);
    const ua = new JsSIP.UA({
      sockets: [socket],
      uri: `sip:${credentials.user}@${this.host}`,
      authorization_user: credentials.user,
      realm: credentials.realm,
      ha1: credentials.ha1,
      display_name: credentials.displayName,
      register: true,
      register_expires: 600,
      session_timers: false,
      user_agent: 'Telephony browser phone (JsSIP)',
    });
    this.ua = ua;
    ua.on('registered', () => this.set({ registration: 'registered', error: null }));
    ua.on('unregistered', () => { if (!this.stopping) this.set({ registration: 'off' }); });
    ua.on('registrationFailed', e => this.set({ registration: 'failed', error: `Registration refused: ${e.cause ?? 'unknown'}${e.response ? ` (${e.response.status_code} ${e.response.reason_phrase})` : ''}` }));
    ua.on('disconnected', () => {
      if (this.stopping) return;
      this.set({ registration: 'failed', error: 'WebSocket to the server dropped: reconnecting… (calls in progress may be lost)' });
    });
    ua.on('connected', () => { if (this.state.registration === 'failed') this.set({ registration: 'connecting', error: null }); });
    ua.on('newRTCSession', (e: RTCSessionEvent) => {
      const reattach = e.originator === 'remote' && e.request.hasHeader(reattachHeader);
      if (reattach && this.session) {
        // The WebSocket dropped and came back: the server parked the call and brings it back on a new leg. The old
        // session is dead media; let it go quietly (its BYE, if any, is harmless) and take the new one.
        const old = this.session;
        (old as unknown as { removeAllListeners(): void }).removeAllListeners(); // an EventEmitter; the typings omit it
        this.session = null;
        try { old.terminate(); } catch { /* already ended */ }
      }
      this.onSession(e.session, e.originator === 'remote');
      // The server brings back the call this page had before a reload: answer it without a click. So is the supervision
      // call a supervisor just asked for on this page.
      const supervision = e.originator === 'remote' && Date.now() < supervisionExpectedUntil
        && supervisionCaller.test(e.session.remote_identity?.uri?.user ?? '');
      if (supervision) supervisionExpectedUntil = 0;
      if ((reattach || supervision) && this.session === e.session) this.answer();
    });
    // Closing or reloading the page unregisters, so queue calls stop ringing a browser that is gone. A call in progress
    // is left alone (no BYE): the server keeps the customer and re-attaches the reloaded page (X-Telephony-Reattach).
    window.addEventListener('pagehide', this.onPageHide);
    ua.start();
  }

  private readonly onPageHide = () => {
    if (this.state.call === 'connected' && this.state.purpose === 'work') return; // the WebSocket just closes
    this.stop();
  };

  stop() {
    window.removeEventListener('pagehide', this.onPageHide);
    this.stopping = true;
    this.session?.terminate();
    this.ua?.stop();
    this.ua = null;
    this.set({ ...initialPhone });
  }

  setMicrophone(deviceId: string) { this.micId = deviceId; }

  async setSpeaker(deviceId: string) {
    const el = this.audio as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
    if (el.setSinkId) await el.setSinkId(deviceId);
  }

  private constraints(): MediaStreamConstraints {
    return { audio: this.micId ? { deviceId: { exact: this.micId } } : true, video: false };
  }

  private onSession(session: RTCSession, incoming: boolean) {
    if (this.session) { // one call at a time: a second caller gets busy
      if (incoming) session.terminate({ status_code: 486 });
      return;
    }
    this.session = session;
    const peer = session.remote_identity?.uri?.user ?? '';
    this.set({ call: incoming ? 'ringing' : 'calling', peer, muted: false, held: false, error: null });
    session.on('peerconnection', e => this.watch(e.peerconnection as RTCPeerConnection));
    if (session.connection) this.watch(session.connection);
    session.on('confirmed', () => {
      this.set({ call: 'connected' });
      const senders = session.connection?.getSenders() ?? [];
      const track = senders.find(s => s.track)?.track;
      this.onLocalStream(track ? new MediaStream([track]) : null);
    });
    session.on('hold', () => this.set({ held: true }));
    session.on('unhold', () => this.set({ held: false }));
    session.on('muted', () => this.set({ muted: true }));
    session.on('unmuted', () => this.set({ muted: false }));
    session.on('failed', e => {
      const why = e.cause === this.jssip?.C.causes.USER_DENIED_MEDIA_ACCESS
        ? 'Microphone access was denied: allow the microphone for this site and try again.'
        : e.originator === 'local' ? null : `Call failed: ${e.cause}`;
      this.ended(why);
    });
    session.on('ended', () => this.ended(null));
  }

  private watch(pc: RTCPeerConnection) {
    pc.addEventListener('track', e => {
      const stream = e.streams[0] ?? new MediaStream([e.track]);
      this.audio.srcObject = stream;
      void this.audio.play().catch(() => undefined);
    });
    let iceConnected = false;
    pc.addEventListener('iceconnectionstatechange', () => {
      if (pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed') iceConnected = true;
      if (pc.iceConnectionState === 'failed') {
        this.set({ error: 'ICE failed: no media path to the server (UDP to its RTP ports blocked, or a wrong rtp.publicAddress).' });
        this.session?.terminate();
      }
    });
    pc.addEventListener('connectionstatechange', () => {
      if (pc.connectionState === 'failed' && iceConnected) {
        this.set({ error: 'DTLS failed: the media path works but the encryption handshake did not complete.' });
        this.session?.terminate();
      }
    });
  }

  private ended(error: string | null) {
    this.session = null;
    this.pendingTones = '';
    clearTimeout(this.toneTimer);
    this.audio.srcObject = null;
    this.onLocalStream(null);
    this.set({ call: 'idle', peer: '', muted: false, held: false, purpose: 'work', error: error ?? this.state.error });
  }

  answer() {
    this.session?.answer({ mediaConstraints: this.constraints(), pcConfig: { iceServers: [] } });
  }

  hangup() { this.session?.terminate(); }

  toggleMute() {
    if (!this.session) return;
    if (this.session.isMuted().audio) this.session.unmute({ audio: true }); else this.session.mute({ audio: true });
  }

  toggleHold() {
    if (!this.session) return;
    if (this.session.isOnHold().local) this.session.unhold(); else this.session.hold();
  }

  /**
   * RFC 4733 telephone-events in the media (RTCDTMFSender), not SIP INFO (JsSIP's default), as the IVR expects. The
   * call is 'connected' at the SIP level before DTLS is up, and until then the sender cannot insert DTMF (insertDTMF
   * throws and the key would be lost): keys wait for it, for at most 10 s.
   */
  dtmf(tone: string) {
    if (!this.session || !this.jssip) return;
    this.pendingTones += tone;
    this.flushTones(100);
  }

  private flushTones(triesLeft: number) {
    clearTimeout(this.toneTimer);
    const session = this.session;
    if (!session || !this.jssip || this.pendingTones === '') return;
    const sender = session.connection?.getSenders().find(s => s.track?.kind === 'audio')?.dtmf;
    if (!sender?.canInsertDTMF) {
      if (triesLeft > 0) this.toneTimer = setTimeout(() => this.flushTones(triesLeft - 1), 100);
      else {
        this.pendingTones = '';
        this.set({ error: 'Keys not sent: the call\'s media path (DTLS) is not ready.' });
      }
      return;
    }
    const tones = this.pendingTones;
    this.pendingTones = '';
    session.sendDTMF(tones, { duration: 120, interToneGap: 70, transportType: this.jssip.C.DTMF_TRANSPORT.RFC2833 });
  }

  /** The pre-call test: calls the echo number; what the agent says comes back. */
  testCall(echoNumber = '9000') { this.call(echoNumber, 'test'); }

  /** Calls a number: an extension, a queue or IVR number, or a feature code (e.g. *811001 to listen to 1001). */
  call(number: string, purpose: PhoneState['purpose'] = 'work') {
    const target = number.replace(/[^0-9*#+]/g, '');
    if (!this.ua || this.session || target === '') return;
    this.set({ purpose, error: null });
    this.ua.call(`sip:${target}@${this.host}`, { mediaConstraints: this.constraints(), pcConfig: { iceServers: [] } });
  }
}
