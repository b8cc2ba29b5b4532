"""JT/T 808-2019 (and 2013) terminal protocol: the codec, a TCP server and a simulated terminal.

`codec` turns bytes into typed messages and back; `server` runs one session per terminal
connection and hands location reports to the same use case as HTTP ingest; `simulator` is a
terminal that speaks the protocol over a real socket.
"""
