// A plain SIP.js page (npm sip.js, none of the console's code): registers with the extension's password and accepts
// every incoming call with the microphone. Proves the server works with SIP.js as it comes, not only with JsSIP.
import { Invitation, Registerer, RegistererState, SessionState, UserAgent } from 'sip.js';
import { attach, host, password, socketUrl, status, user } from './common';

function onInvite(invitation: Invitation) {
  invitation.stateChange.addListener(state => {
    if (state === SessionState.Established) {
      const handler = invitation.sessionDescriptionHandler as unknown as { peerConnection?: RTCPeerConnection };
      const stream = new MediaStream();
      handler.peerConnection?.getReceivers().forEach(r => { if (r.track) stream.addTrack(r.track); });
      attach(stream);
      status('connected');
    } else if (state === SessionState.Terminated) {
      status('ended');
    }
  });
  status('ringing');
  void invitation.accept({ sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } })
    .catch((e: unknown) => status(`failed: ${String(e)}`));
}

const ua = new UserAgent({
  uri: UserAgent.makeURI(`sip:${user}@${host}`),
  transportOptions: { server: socketUrl },
  authorizationUsername: user,
  authorizationPassword: password,
  sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] } },
  delegate: { onInvite },
});
const registerer = new Registerer(ua);
registerer.stateChange.addListener(state => {
  if (state === RegistererState.Registered) status('registered');
});
ua.start().then(() => registerer.register()).catch((e: unknown) => status(`failed: ${String(e)}`));
