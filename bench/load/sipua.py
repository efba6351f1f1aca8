#!/usr/bin/env python3
"""Minimal SIP user agent for the benches, for what SIPp 3.6 cannot do: digest credentials that differ per line
(SIPp's [authentication username=[field0] ...] does not expand the field). UDP, one socket, asyncio.
  sipua.py register SERVER:PORT LOCAL_IP:PORT USERS.csv CONTACT_PORT [--rate R] [--expires S]
      REGISTER each user (401 -> digest -> 200) with Contact <sip:user@LOCAL_IP:CONTACT_PORT>.
  sipua.py call SERVER:PORT LOCAL_IP:PORT CALLS.csv MEDIA_PORT HOLD_SECONDS [--rate R]
      One call per line user;password;dialed: INVITE with a PCMU offer on LOCAL_IP:MEDIA_PORT (an RtpProbe),
      407 -> ACK -> INVITE with Proxy-Authorization, 200 -> ACK, stay HOLD_SECONDS, BYE. A BYE from the server first
      counts as a failure.
users.csv / calls.csv: SIPp injection format (first line SEQUENTIAL/RANDOM ignored), fields separated by ';'.
Prints one JSON object: attempted, succeeded, failed, reasons, setup ms mean/max. Exit 0 when all succeeded.
RFC 3261 (§8.1.3.5 auth retry, §17.1.1.3 ACK for non-2xx, §13.2.2.4 ACK for 2xx), RFC 2617/7616 digest (MD5, SHA-256, qop=auth)."""
import argparse
import asyncio
import hashlib
import json
import os
import re
import sys
import time

T1 = 0.5
TRACE = os.environ.get("SIPUA_TRACE") == "1"


def parse_hostport(s):
    host, port = s.rsplit(":", 1)
    return host, int(port)


def read_csv(path):
    rows = []
    with open(path) as f:
        for i, line in enumerate(f):
            line = line.strip()
            if not line or (i == 0 and line in ("SEQUENTIAL", "RANDOM", "USER")):
                continue
            rows.append(line.split(";"))
    return rows


def digest_header(challenge, method, uri, user, password):
    params = {k.lower(): a or b for k, a, b in re.findall(r'(\w+)=(?:"([^"]*)"|([^,\s]+))', challenge)}
    algorithm = params.get("algorithm", "MD5")
    h = (lambda s: hashlib.sha256(s.encode()).hexdigest()) if algorithm.upper().startswith("SHA-256") \
        else (lambda s: hashlib.md5(s.encode()).hexdigest())
    realm, nonce = params.get("realm", ""), params.get("nonce", "")
    ha1 = h(f"{user}:{realm}:{password}")
    ha2 = h(f"{method}:{uri}")
    out = f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}", algorithm={algorithm}'
    if "qop" in params:
        cnonce = os.urandom(8).hex()
        nc = "00000001"
        response = h(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
        out += f', qop=auth, nc={nc}, cnonce="{cnonce}"'
    else:
        response = h(f"{ha1}:{nonce}:{ha2}")
    out += f', response="{response}"'
    if "opaque" in params:
        out += f', opaque="{params["opaque"]}"'
    return out


class Message:
    def __init__(self, text):
        head, _, self.body = text.partition("\r\n\r\n")
        lines = head.split("\r\n")
        self.start = lines[0]
        self.headers = []
        for line in lines[1:]:
            if line[:1] in (" ", "\t") and self.headers:
                k, v = self.headers[-1]
                self.headers[-1] = (k, v + " " + line.strip())
            elif ":" in line:
                k, v = line.split(":", 1)
                self.headers.append((k.strip().lower(), v.strip()))
        self.is_response = self.start.startswith("SIP/2.0")
        self.status = int(self.start.split()[1]) if self.is_response else 0
        self.method = None if self.is_response else self.start.split()[0]

    def get(self, name, default=""):
        short = {"via": "v", "from": "f", "to": "t", "call-id": "i", "cseq": "", "contact": "m"}.get(name)
        for k, v in self.headers:
            if k == name or (short and k == short):
                return v
        return default

    def all(self, name):
        return [v for k, v in self.headers if k == name]


class UA(asyncio.DatagramProtocol):
    def __init__(self, server, local):
        self.server, self.local = server, local
        self.waiters = {}   # call-id -> asyncio.Queue of messages
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        if TRACE:
            sys.stderr.write(f"<<< {addr}\n{data.decode('utf-8', 'replace')}\n")
        try:
            msg = Message(data.decode("utf-8", "replace"))
        except (IndexError, ValueError):
            return
        q = self.waiters.get(msg.get("call-id"))
        if q is not None:
            q.put_nowait(msg)
        elif not msg.is_response and msg.method != "ACK":
            self.reply(msg, 481, "Call/Transaction Does Not Exist")

    def send(self, text):
        if TRACE:
            sys.stderr.write(f">>> {self.server}\n{text}\n")
        self.transport.sendto(text.encode(), self.server)

    def reply(self, req, status, reason):
        lines = [f"SIP/2.0 {status} {reason}"]
        for name in ("via", "from", "to", "call-id", "cseq"):
            for v in req.all(name) or ([req.get(name)] if req.get(name) else []):
                lines.append(f"{name.title() if name != 'call-id' else 'Call-ID'}: {v}")
        lines += ["Content-Length: 0", "", ""]
        self.send("\r\n".join(lines))


def branch():
    return "z9hG4bK" + os.urandom(6).hex()


def build(method, uri, via_branch, from_hdr, to_hdr, call_id, cseq, local, extra=(), body=""):
    lines = [f"{method} {uri} SIP/2.0", f"Via: SIP/2.0/UDP {local[0]}:{local[1]};branch={via_branch};rport",
             f"From: {from_hdr}", f"To: {to_hdr}", f"Call-ID: {call_id}", f"CSeq: {cseq} {method}", "Max-Forwards: 70",
             "User-Agent: telephony-bench-ua"]
    lines += list(extra)
    if body:
        lines.append("Content-Type: application/sdp")
    lines += [f"Content-Length: {len(body.encode())}", "", ""]
    return "\r\n".join(lines) + body


async def transaction(ua, q, text, cseq, method, timeout=32.0):
    """Sends a request, retransmitting (T1 doubling, capped at 4 s) until a provisional or final response; returns the
    final response, or None after `timeout` seconds."""
    ua.send(text)
    deadline = time.monotonic() + timeout
    interval = T1
    next_retx = time.monotonic() + interval
    got_provisional = False
    while True:
        now = time.monotonic()
        if now >= deadline:
            return None
        wait = min(deadline, next_retx if not got_provisional else deadline) - now
        try:
            msg = await asyncio.wait_for(q.get(), timeout=max(0.01, wait))
        except asyncio.TimeoutError:
            if not got_provisional and time.monotonic() >= next_retx:
                ua.send(text)
                interval = min(interval * 2, 4.0)
                next_retx = time.monotonic() + interval
            continue
        if msg.is_response and msg.get("cseq").split() == [str(cseq), method]:
            if msg.status < 200:
                got_provisional = True
                continue
            return msg
        if not msg.is_response and msg.method != "ACK":
            ua.reply(msg, 200, "OK")   # an in-dialog request crossing ours (none expected in the bench)


async def register_one(ua, user, password, contact_port, expires, stats):
    # up to 3 registrations, 1 s apart, before the user counts as failed (each answers stale re-challenges itself)
    for attempt in range(3):
        reason = await register_attempt(ua, user, password, contact_port, expires, stats)
        if reason is None:
            return
        if attempt < 2:
            stats.retries += 1
            await asyncio.sleep(1.0)
    stats.fail(reason)


async def register_attempt(ua, user, password, contact_port, expires, stats):
    call_id = f"reg-{user}-{os.urandom(4).hex()}@{ua.local[0]}"
    q = asyncio.Queue()
    ua.waiters[call_id] = q
    aor = f"sip:{user}@{ua.server[0]}"
    uri = f"sip:{ua.server[0]}:{ua.server[1]}"
    from_hdr = f"<{aor}>;tag={os.urandom(4).hex()}"
    contact = [f"Contact: <sip:{user}@{ua.local[0]}:{contact_port}>", f"Expires: {expires}"]
    started = time.monotonic()
    try:
        r = await transaction(ua, q, build("REGISTER", uri, branch(), from_hdr, f"<{aor}>", call_id, 1, ua.local, contact), 1, "REGISTER")
        cseq = 1
        # a challenge with stale=true (RFC 7616 §3.4: nonce expired or its nonce-count seen) is answered again
        while r is not None and r.status == 401 and cseq <= 12:
            if cseq > 1:
                stats.stale += 1
                await asyncio.sleep(os.urandom(1)[0] / 255 * 0.1)   # de-synchronise the retries a little
            cseq += 1
            auth = digest_header(r.get("www-authenticate"), "REGISTER", uri, user, password)
            r = await transaction(ua, q, build("REGISTER", uri, branch(), from_hdr, f"<{aor}>", call_id, cseq, ua.local,
                                               contact + [f"Authorization: {auth}"]), cseq, "REGISTER")
            if r is not None and r.status == 401 and "stale=true" not in r.get("www-authenticate").lower():
                break
        if r is not None and r.status == 200:
            stats.ok(time.monotonic() - started)
            return None
        return f"REGISTER {r.status if r else 'timeout'}"
    finally:
        ua.waiters.pop(call_id, None)


def sdp_offer(ip, port):
    return (f"v=0\r\no=bench 1 1 IN IP4 {ip}\r\ns=-\r\nc=IN IP4 {ip}\r\nt=0 0\r\n"
            f"m=audio {port} RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
            f"a=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n")


def tag_of(header):
    m = re.search(r";\s*tag=([^;>\s]+)", header)
    return m.group(1) if m else ""


async def call_one(ua, user, password, dialed, media_port, hold, stats):
    call_id = f"call-{user}-{os.urandom(4).hex()}@{ua.local[0]}"
    q = asyncio.Queue()
    ua.waiters[call_id] = q
    uri = f"sip:{dialed}@{ua.server[0]}:{ua.server[1]}"
    from_hdr = f"<sip:{user}@{ua.server[0]}>;tag={os.urandom(4).hex()}"
    to_hdr = f"<{uri}>"
    contact = f"Contact: <sip:{user}@{ua.local[0]}:{ua.local[1]}>"
    body = sdp_offer(ua.local[0], media_port)
    started = time.monotonic()
    try:
        b = branch()
        r = await transaction(ua, q, build("INVITE", uri, b, from_hdr, to_hdr, call_id, 1, ua.local, [contact], body), 1, "INVITE")
        cseq = 1
        while r is not None and r.status in (401, 407) and cseq <= 12:
            ua.send(build("ACK", uri, b, from_hdr, r.get("to"), call_id, cseq, ua.local))
            header = "proxy-authenticate" if r.status == 407 else "www-authenticate"
            name = "Proxy-Authorization" if r.status == 407 else "Authorization"
            if cseq > 1:
                if "stale=true" not in r.get(header).lower():
                    break
                stats.stale += 1
                await asyncio.sleep(os.urandom(1)[0] / 255 * 0.1)
            auth = digest_header(r.get(header), "INVITE", uri, user, password)
            cseq += 1
            b = branch()
            r = await transaction(ua, q, build("INVITE", uri, b, from_hdr, to_hdr, call_id, cseq, ua.local,
                                               [contact, f"{name}: {auth}"], body), cseq, "INVITE")
        if r is None or r.status != 200:
            if r is not None and r.status >= 300:
                ua.send(build("ACK", uri, b, from_hdr, r.get("to"), call_id, cseq, ua.local))
            stats.fail(f"INVITE {r.status if r else 'timeout'}")
            return
        setup = time.monotonic() - started
        to_dialog = r.get("to")
        m = re.search(r"<([^>]+)>", r.get("contact"))
        target = m.group(1) if m else uri
        ack = build("ACK", target, branch(), from_hdr, to_dialog, call_id, cseq, ua.local, [contact])
        ua.send(ack)
        next_cseq = cseq + 1
        # in the call: answer 200 retransmissions with the ACK, in-dialog requests with 200; a BYE ends it early
        end_at = time.monotonic() + hold
        far_bye = False
        while True:
            now = time.monotonic()
            if now >= end_at:
                break
            try:
                msg = await asyncio.wait_for(q.get(), timeout=min(0.5, end_at - now))
            except asyncio.TimeoutError:
                continue
            if msg.is_response:
                if msg.status == 200 and msg.get("cseq").endswith("INVITE"):
                    ua.send(ack)
                continue
            if msg.method == "ACK":
                continue
            ua.reply(msg, 200, "OK")
            if msg.method == "BYE":
                far_bye = True
                break
        if far_bye:
            stats.fail("BYE from the server during the call")
            return
        r = await transaction(ua, q, build("BYE", target, branch(), from_hdr, to_dialog, call_id, next_cseq, ua.local, [contact]),
                              next_cseq, "BYE")
        if r is not None and r.status == 200:
            stats.ok(setup)
        else:
            stats.fail(f"BYE {r.status if r else 'timeout'}")
    finally:
        ua.waiters.pop(call_id, None)


class Stats:
    def __init__(self):
        self.attempted = self.succeeded = self.failed = self.stale = self.retries = 0
        self.reasons = {}
        self.setups = []

    def ok(self, setup_s):
        self.succeeded += 1
        self.setups.append(setup_s * 1000)

    def fail(self, reason):
        self.failed += 1
        self.reasons[reason] = self.reasons.get(reason, 0) + 1

    def result(self):
        return {"attempted": self.attempted, "succeeded": self.succeeded, "failed": self.failed, "reasons": self.reasons,
                "staleRechallenges": self.stale, "retried": self.retries,
                "setupMsMean": round(sum(self.setups) / len(self.setups), 1) if self.setups else 0,
                "setupMsMax": round(max(self.setups), 1) if self.setups else 0}


async def main():
    a = argparse.ArgumentParser()
    a.add_argument("mode", choices=["register", "call"])
    a.add_argument("server")
    a.add_argument("local")
    a.add_argument("csv")
    a.add_argument("port", type=int, help="register: the Contact port; call: the SDP media port")
    a.add_argument("hold", type=float, nargs="?", default=0.0)
    a.add_argument("--rate", type=float, default=100.0)
    a.add_argument("--expires", type=int, default=3600)
    args = a.parse_args()
    server, local = parse_hostport(args.server), parse_hostport(args.local)
    loop = asyncio.get_running_loop()
    transport, ua = await loop.create_datagram_endpoint(lambda: UA(server, local), local_addr=local)
    ua.local = local
    stats = Stats()
    tasks = []
    t0 = time.monotonic()
    for i, row in enumerate(read_csv(args.csv)):
        await asyncio.sleep(max(0.0, i / args.rate - (time.monotonic() - t0)) if i else 0)
        stats.attempted += 1
        if args.mode == "register":
            tasks.append(asyncio.create_task(register_one(ua, row[0], row[1], args.port, args.expires, stats)))
        else:
            tasks.append(asyncio.create_task(call_one(ua, row[0], row[1], row[2], args.port, args.hold, stats)))
    await asyncio.gather(*tasks)
    transport.close()
    print(json.dumps(stats.result()))
    return 0 if stats.failed == 0 and stats.succeeded == stats.attempted else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
