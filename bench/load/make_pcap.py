#!/usr/bin/env python3
"""Writes a libpcap file (Ethernet link type) of one PCMU RTP stream (PT 0, 20 ms packets, one SSRC) for SIPp's
play_pcap_audio. Input: headerless 8 kHz mu-law (sox -e mu-law -t raw). SIPp replaces addresses/ports, keeps timing.
usage: make_pcap.py speech.ulaw out.pcap SECONDS"""
import struct
import sys

src, out, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
audio = open(src, "rb").read()
if not audio:
    sys.exit("empty audio")
packets = int(seconds * 50)
need = packets * 160
data = (audio * (need // len(audio) + 1))[:need]

def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF

with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))  # pcap header, LINKTYPE_ETHERNET
    seq, ts, ssrc = 1000, 16000, 0x0BE4C0DE
    for i in range(packets):
        rtp = struct.pack("!BBHII", 0x80, (0x80 if i == 0 else 0) | 0, seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc)
        rtp += data[i * 160:(i + 1) * 160]
        udp = struct.pack("!HHHH", 6000, 20000, 8 + len(rtp), 0) + rtp
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i & 0xFFFF, 0, 64, 17, 0,
                         bytes([127, 0, 0, 2]), bytes([127, 0, 0, 1]))
        ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
        frame = b"\0\0\0\0\0\1" + b"\0\0\0\0\0\2" + b"\x08\x00" + ip + udp
        us = i * 20000
        f.write(struct.pack("<IIII", us // 1_000_000, us % 1_000_000, len(frame), len(frame)))
        f.write(frame)
        seq += 1
        ts += 160
print(f"{out}: {packets} packets, {packets / 50:.1f} s")
